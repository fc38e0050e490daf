{#- int_funnel__customer_steps: whether funnel event `event` can reach the step `steps` for the
    chain row `chain` — of the customer and the step's type, at or after the anchor (or an interval
    still open at it), within the window, and after the latest time of its type an earlier step
    spent. -#}
{% macro funnel_event_qualifies(event) -%}
    {{ event }}.customer_id = chain.customer_id
    and {{ event }}.event_type = steps.event_type
    and (
        {{ event }}.event_at >= chain.reached_at
        or {{ event }}.event_ended_at is null
        or {{ event }}.event_ended_at > chain.reached_at
    )
    and greatest({{ event }}.event_at, chain.reached_at) <= chain.window_ends_at
    -- after the latest time of this type an earlier step spent, if any
    and coalesce(greatest({{ event }}.event_at, chain.reached_at) > {{ list_max_field(
        'chain.spent_events', 'reached_at', 'event_type', 'steps.event_type'
    ) }}, true)
{%- endmacro %}
