{#- Each customer's way down the funnel. Grain: customer × step_order, every step of
    int_funnel__steps, reached_at null when not reached. A step is reached at the first event of its
    type at or after its anchor (when the previous mandatory step was reached; t0 = acquired_at for
    the first step) and no later than t0 + funnel_window_days (inclusive). An event time already
    used by an earlier step of the same type is spent: that type's next step needs a strictly later
    event, so `repurchase` is a purchase paid strictly after the first purchase — two orders paid at
    the same instant are one purchase occasion, not a repurchase. Mandatory steps chain recursively,
    each from the one before, so any number of steps in any order works; optional steps branch off
    their anchor and gate nothing.
    The recursive term may not aggregate, window or sort its own rows (Spark forbids all three;
    a correlated min() per row runs as a nested loop there): the earliest qualifying event is the
    one no other qualifying event of its customer and type precedes (an anti-join on the keys,
    event_seq breaking ties between events reached at the same time).

    Incremental by customer (DuckDB; a table on Spark). A customer's rows depend only on its t0, its
    window's end (funnel_window_days), the events that can reach a step (begun by the window's end)
    and the steps: each row keeps inputs_checksum, a sum of 64-bit hashes of all of them — the
    steps' rows included, so a changed step recomputes everyone. A night recomputes the customers
    whose sum differs from the one kept: new ones, those with an event added, moved or gone within
    their window, and those an identity merge or split changed; a customer no longer acquired
    leaves a tombstone (null step_order) that deletes its rows. Every other customer's rows stay:
    most customers' windows closed long ago. A changed set keeping its sum would be a 64-bit hash
    collision, the risk int_identity__nodes already takes. -#}
{{ incremental_intermediate_config(['customer_id'], 'step_order') }}
{%- set incremental = is_incremental() %}

with recursive

acquisition as (select * from {{ ref('int_customers__acquisition') }}),
steps as (select * from {{ ref('int_funnel__steps') }}),

windows as (
    -- each customer's t0 and the end of its window, both inclusive
    select
        acquisition.customer_id,
        acquisition.acquired_at,
        {{ add_days('acquisition.acquired_at', var('funnel_window_days')) }} as window_ends_at
    from acquisition
),

window_events as (
    -- the events that can reach a step: begun no later than their customer's window ends (a step
    -- is reached at an event's start, or later), so a customer's later history is never read again
    -- however long it grows
    select
        funnel_events.customer_id,
        funnel_events.event_type,
        funnel_events.event_at,
        funnel_events.event_ended_at
    from {{ ref('int_funnel__events') }} as funnel_events
    inner join windows on funnel_events.customer_id = windows.customer_id
    where funnel_events.event_at <= windows.window_ends_at
),

steps_checksum as (
    select
        coalesce(sum(cast({{ record_key([
            'steps.step_order', 'steps.step_name', 'steps.event_type', 'steps.is_optional',
            'steps.mandatory_rank', 'steps.previous_mandatory_rank',
            'steps.previous_mandatory_step_order'
        ]) }} as decimal(38, 0))), 0) as checksum
    from steps
),

events_checksums as (
    select
        window_events.customer_id,
        sum(cast({{ record_key([
            'window_events.event_type', 'window_events.event_at', 'window_events.event_ended_at'
        ]) }} as decimal(38, 0))) as checksum
    from window_events
    group by window_events.customer_id
),

inputs as (
    -- everything a customer's rows are computed from, as one sum of hashes
    select
        windows.customer_id,
        windows.acquired_at,
        windows.window_ends_at,
        cast({{ record_key(['windows.acquired_at', 'windows.window_ends_at']) }} as decimal(38, 0))
        + steps_checksum.checksum
        + coalesce(events_checksums.checksum, 0) as inputs_checksum
    from windows
    cross join steps_checksum
    left join events_checksums
        on windows.customer_id = events_checksums.customer_id
),
{%- if incremental %}

kept as (
    select distinct
        kept_rows.customer_id,
        kept_rows.inputs_checksum
    from {{ this }} as kept_rows
),

touched as (
    -- a sum other than the one kept: a new customer, one whose inputs changed, or one gone
    select
        coalesce(inputs.customer_id, kept.customer_id) as customer_id,
        inputs.customer_id is null as is_gone
    from inputs
    full outer join kept
        on inputs.customer_id = kept.customer_id
    where inputs.inputs_checksum is distinct from kept.inputs_checksum
),

computed as (
    select inputs.*
    from inputs
    where
        exists (
            select 1 from touched
            where touched.customer_id = inputs.customer_id
        )
),
{%- else %}

computed as (
    select * from inputs
),
{%- endif %}

events as (
    -- one row per distinct event of a customer computed tonight; event_seq orders a customer's
    -- events of one type
    select
        distinct_events.*,
        row_number() over (
            partition by distinct_events.customer_id, distinct_events.event_type
            order by distinct_events.event_at, distinct_events.event_ended_at
        ) as event_seq
    from (
        select distinct
            window_events.customer_id,
            window_events.event_type,
            window_events.event_at,
            window_events.event_ended_at
        from window_events
        {%- if incremental %}
        where
            exists (
                select 1 from computed
                where computed.customer_id = window_events.customer_id
            )
        {%- endif %}
    ) as distinct_events
),

chain as (
    -- rank 0: the start, at t0; then one row per step reached, optional rows ending their branch
    select
        computed.customer_id,
        computed.window_ends_at,
        cast(null as integer) as step_order,
        0 as mandatory_rank,
        cast(null as {{ instant_type() }}) as anchor_at,
        computed.acquired_at as reached_at,
        {{ empty_struct_list({'event_type': 'text', 'reached_at': 'instant'}) }} as spent_events
    from computed
    union all
    select
        chain.customer_id,
        chain.window_ends_at,
        steps.step_order,
        steps.mandatory_rank,
        chain.reached_at as anchor_at,
        -- reached at the event, or when the anchor was if the event (an interval) began before it
        greatest(events.event_at, chain.reached_at) as reached_at,
        {{ list_append('chain.spent_events', struct_of({
            'event_type': 'steps.event_type',
            'reached_at': 'greatest(events.event_at, chain.reached_at)'
        })) }} as spent_events
    from chain
    inner join steps on chain.mandatory_rank = steps.previous_mandatory_rank
    inner join events on {{ funnel_event_qualifies('events') }}
    where not exists (
        select 1
        from events as earlier
        where
            {{ funnel_event_qualifies('earlier') }}
            -- reaching the step before it, or at the same instant and earlier in sequence
            and (
                greatest(earlier.event_at, chain.reached_at)
                < greatest(events.event_at, chain.reached_at)
                or (
                    greatest(earlier.event_at, chain.reached_at)
                    = greatest(events.event_at, chain.reached_at)
                    and earlier.event_seq < events.event_seq
                )
            )
    )
),

final as (
    select
        computed.customer_id,
        steps.step_order,
        steps.step_name,
        steps.is_optional,
        steps.previous_mandatory_step_order,
        case
            when steps.previous_mandatory_step_order is not null then chain.anchor_at
        end as previous_reached_at,
        chain.reached_at,
        computed.inputs_checksum
    from computed
    cross join steps
    left join chain
        on computed.customer_id = chain.customer_id and steps.step_order = chain.step_order
)

select * from final
{%- if incremental %}
union all
-- a customer gone leaves a tombstone (its key, nulls): delete+insert deletes its rows, the
-- post-hook the tombstone
select
    touched.customer_id,
    null,
    null,
    null,
    null,
    null,
    null,
    null
from touched
where touched.is_gone
{%- endif %}
