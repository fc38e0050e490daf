{#- Care moments (六次互动) due in the next `care_calendar_days` days after the latest loaded date,
    with the guide who reaches out: the one home of the rule, published as marts.care_calendar and
    read by the guides' task lists (int_guides__tasks).
    An annual moment falls on the anchor's month-day each year (Feb 29 on Feb 28 in other years)
    plus offset_days, anniversaries from the anchor's first anniversary on; any other moment falls
    once, offset_days after the anchor date. The guide is the customer's primary guide, else the
    exclusive guide (专属导购) of their POS membership while that guide is active. -#}
with

anchors as (select * from {{ ref('int_customers__care_anchors') }}),
moments as (select * from {{ ref('care_moments') }}),
user_assets as (select * from {{ ref('int_customers__user_assets') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),
exclusive_guides as (select * from {{ ref('int_customers__exclusive_guides') }}),

window_days as (
    select
        bounds.last_date + 1 as first_date,
        bounds.last_date + {{ var('care_calendar_days') }} as last_date
    from bounds
),

annual_years as (
    select
        anchors.customer_id,
        anchors.anchor_date,
        anchors.anchor_month,
        anchors.anchor_day,
        moments.moment_type,
        moments.offset_days,
        -- every year whose occurrence, shifted by offset_days, can land in the window
        {{ unnest_range(
            'year(window_days.first_date - moments.offset_days)',
            'year(window_days.last_date - moments.offset_days) + 1'
        ) }} as moment_year
    from anchors
    inner join moments on anchors.anchor = moments.anchor and moments.is_annual
    cross join window_days
),

due as (
    select
        annual_years.customer_id,
        annual_years.moment_type,
        make_date(
            annual_years.moment_year,
            annual_years.anchor_month,
            -- Feb 29 falls on Feb 28 in other years: the day is capped at the month's last day
            least(
                annual_years.anchor_day,
                day(last_day(make_date(annual_years.moment_year, annual_years.anchor_month, 1)))
            )
        ) + annual_years.offset_days as moment_date,
        annual_years.moment_year - year(annual_years.anchor_date) as anniversary_number
    from annual_years
    where
        annual_years.anchor_date is null
        or annual_years.moment_year > year(annual_years.anchor_date)
    union all
    select
        anchors.customer_id,
        moments.moment_type,
        anchors.anchor_date + moments.offset_days,
        null
    from anchors
    inner join moments on anchors.anchor = moments.anchor and not moments.is_annual
),

final as (
    select
        {{ as_text('due.customer_id') }} as customer_id,
        {{ as_text('coalesce(user_assets.primary_guide_userid, exclusive_guides.guide_userid)') }}
            as userid,
        {{ as_text('due.moment_type') }} as moment_type,
        cast(due.moment_date as date) as moment_date,
        cast(
            {{ days_between('window_days.first_date', 'due.moment_date') }} + 1 as integer
        ) as days_ahead,
        cast(due.anniversary_number as integer) as anniversary_number
    from due
    inner join user_assets on due.customer_id = user_assets.customer_id
    left join exclusive_guides on due.customer_id = exclusive_guides.customer_id
    cross join window_days
    where due.moment_date between window_days.first_date and window_days.last_date
)

select * from final
