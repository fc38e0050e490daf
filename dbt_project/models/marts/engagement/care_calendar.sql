{#- Care moments (六次互动) due in the next `care_calendar_days` days after the latest loaded date,
    with the guide who reaches out: the rule lives in int_guides__care_moments, which the guides'
    task lists read too. -#}
with

care_moments as (select * from {{ ref('int_guides__care_moments') }}),

final as (
    select
        care_moments.customer_id,
        care_moments.userid,
        care_moments.moment_type,
        care_moments.moment_date,
        care_moments.days_ahead,
        care_moments.anniversary_number
    from care_moments
)

select * from final
