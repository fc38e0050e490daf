{#- int_guides__care_moments holds marts.care_calendar's rule one layer down, for the guides' task
    lists; until the mart reads it, the two must list the same moments for the same guides. Fails
    with every row found in one and not the other. -#}
{#- the Dagster asset check attaches to int_guides__care_moments -#}
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'int_guides__care_moments'}}}) }}
with

care_moments as (select * from {{ ref('int_guides__care_moments') }}),
care_calendar as (select * from {{ ref('care_calendar') }}),

only_in_moments as (
    select
        care_moments.customer_id,
        care_moments.userid,
        care_moments.moment_type,
        care_moments.moment_date,
        care_moments.days_ahead,
        care_moments.anniversary_number
    from care_moments
    except all
    select
        care_calendar.customer_id,
        care_calendar.userid,
        care_calendar.moment_type,
        care_calendar.moment_date,
        care_calendar.days_ahead,
        care_calendar.anniversary_number
    from care_calendar
),

only_in_calendar as (
    select
        care_calendar.customer_id,
        care_calendar.userid,
        care_calendar.moment_type,
        care_calendar.moment_date,
        care_calendar.days_ahead,
        care_calendar.anniversary_number
    from care_calendar
    except all
    select
        care_moments.customer_id,
        care_moments.userid,
        care_moments.moment_type,
        care_moments.moment_date,
        care_moments.days_ahead,
        care_moments.anniversary_number
    from care_moments
),

final as (
    select
        'int_guides__care_moments' as found_only_in,
        only_in_moments.*
    from only_in_moments
    union all
    select
        'care_calendar',
        only_in_calendar.*
    from only_in_calendar
)

select * from final
