-- The first step is the cohort itself: conversion_from_start = 1 and at least one customer on every
-- cohort_week × acquisition_channel.
with

funnel as (select * from {{ ref('funnel_steps') }}),

first_steps as (
    select *
    from funnel
    qualify step_order = min(step_order) over (
        partition by cohort_week, acquisition_channel
    )
)

select * from first_steps
where
    conversion_from_start is distinct from 1.0
    or customers < 1
