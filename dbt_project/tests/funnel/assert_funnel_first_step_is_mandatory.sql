-- Seed funnel_step_definitions must open with a mandatory step: it is the cohort every conversion
-- is measured against, and an optional step there would gate nothing and leave later steps without
-- a previous mandatory step.
with

step_definitions as (select * from {{ ref('funnel_step_definitions') }})

select * from step_definitions
where
    step_order
    = (select min(first_step.step_order) from step_definitions as first_step)
    and is_optional
