{#- The funnel's steps, as data: seed funnel_step_definitions plus what chaining them needs.
    Mandatory steps are numbered 1, 2, … in step_order (mandatory_rank); every step hangs off the
    latest mandatory step before it (previous_mandatory_rank, 0 = the acquisition time t0 when there
    is none), whose time is the step's anchor and whose customers are its conversion denominator.
-#}
with

step_definitions as (select * from {{ ref('funnel_step_definitions') }}),

ranked as (
    select
        step_definitions.step_order,
        step_definitions.step_name,
        step_definitions.step_name_cn,
        step_definitions.event_type,
        step_definitions.is_optional,
        case
            when not step_definitions.is_optional
                then count(*) filter (where not step_definitions.is_optional) over steps_so_far
        end as mandatory_rank,
        count(*) filter (where not step_definitions.is_optional) over preceding_steps
            as previous_mandatory_rank,
        max(step_definitions.step_order) filter (where not step_definitions.is_optional)
            over preceding_steps
            as previous_mandatory_step_order,
        min(step_definitions.step_order) over () as first_step_order
    from step_definitions
    window
        steps_so_far as (order by step_definitions.step_order),
        preceding_steps as (
            order by step_definitions.step_order rows between unbounded preceding and 1 preceding
        )
),

final as (
    select
        cast(ranked.step_order as integer) as step_order,
        ranked.step_name,
        ranked.step_name_cn,
        ranked.event_type,
        ranked.is_optional,
        cast(ranked.mandatory_rank as integer) as mandatory_rank,
        cast(ranked.previous_mandatory_rank as integer) as previous_mandatory_rank,
        cast(ranked.previous_mandatory_step_order as integer) as previous_mandatory_step_order,
        cast(ranked.first_step_order as integer) as first_step_order
    from ranked
)

select * from final
