{#- Each customer's way down the funnel. Grain: customer × step_order, every step of
    int_funnel__steps, reached_at null when not reached. A step is reached at the first event of its
    type at or after its anchor (when the previous mandatory step was reached; t0 = acquired_at for
    the first step) and no later than t0 + funnel_window_days (inclusive). An event time already
    used by an earlier step of the same type is spent: that type's next step needs a strictly later
    event, so `repurchase` is a purchase paid strictly after the first purchase — two orders paid at
    the same instant are one purchase occasion, not a repurchase. Mandatory steps chain recursively,
    each from the one before, so any number of steps in any order works; optional steps branch off
    their anchor and gate nothing. -#}
with recursive

acquisition as (select * from {{ ref('int_customers__acquisition') }}),
steps as (select * from {{ ref('int_funnel__steps') }}),
events as (select * from {{ ref('int_funnel__events') }}),

chain as (
    -- rank 0: the start, at t0; then one row per step reached, optional rows ending their branch
    select
        acquisition.customer_id,
        {{ add_days('acquisition.acquired_at', var('funnel_window_days')) }} as window_ends_at,
        cast(null as integer) as step_order,
        0 as mandatory_rank,
        cast(null as {{ instant_type() }}) as anchor_at,
        acquisition.acquired_at as reached_at,
        {{ empty_struct_list({'event_type': 'text', 'reached_at': 'instant'}) }} as spent_events
    from acquisition
    union all
    select
        chain.customer_id,
        chain.window_ends_at,
        steps.step_order,
        steps.mandatory_rank,
        chain.reached_at as anchor_at,
        greatest(first_event.event_at, chain.reached_at) as reached_at,
        {{ list_append('chain.spent_events', struct_of({
            'event_type': 'steps.event_type',
            'reached_at': 'greatest(first_event.event_at, chain.reached_at)'
        })) }} as spent_events
    from chain
    inner join steps on chain.mandatory_rank = steps.previous_mandatory_rank
    cross join
        lateral (
            -- the earliest event; reached when the anchor was, if it came before (Spark takes no
            -- aggregate of an outer and a local column: greatest(min(e), r) = min(greatest(e, r)))
            select min(events.event_at) as event_at
            from events
            where
                events.customer_id = chain.customer_id
                and events.event_type = steps.event_type
                and (
                    events.event_at >= chain.reached_at
                    or events.event_ended_at is null
                    or events.event_ended_at > chain.reached_at
                )
                and greatest(events.event_at, chain.reached_at) <= chain.window_ends_at
                -- after the latest time of this type an earlier step spent, if any
                and coalesce(greatest(events.event_at, chain.reached_at) > {{ list_max_field(
                    'chain.spent_events', 'reached_at', 'event_type', 'steps.event_type'
                ) }}, true)
        ) as first_event
    where first_event.event_at is not null
),

final as (
    select
        acquisition.customer_id,
        steps.step_order,
        steps.step_name,
        steps.is_optional,
        steps.previous_mandatory_step_order,
        case
            when steps.previous_mandatory_step_order is not null then chain.anchor_at
        end as previous_reached_at,
        chain.reached_at
    from acquisition
    cross join steps
    left join chain
        on acquisition.customer_id = chain.customer_id and steps.step_order = chain.step_order
)

select * from final
