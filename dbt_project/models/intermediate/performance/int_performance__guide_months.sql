{#- The guide × Beijing month rows of guide_performance. marts.md: every employee with role guide
    in org/employee × every month from the first loaded month to the latest, so a leaderboard shows
    the guides who have nothing. The latest list decides who is a guide, left ones included: it is
    the brand's own word, and a guide who left mid-period still earned that period's figures.
    Other userids (managers, service accounts) keep the months they had customers in. -#}
with

employees as (select * from {{ ref('stg_org__employees') }}),
month_customers as (select * from {{ ref('int_performance__guide_month_customers') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

months as (
    select cast(month_series.generate_series as date) as month
    from bounds
    {{ generate_series_join(
        month_start('bounds.first_date'), month_start('bounds.last_date'), 'interval 1 month',
        'month_series'
    ) }}
),

guide_months as (
    select
        employees.userid,
        months.month
    from employees
    cross join months
    where employees.role = 'guide'
),

final as (
    select
        guide_months.userid,
        guide_months.month
    from guide_months
    union
    select
        month_customers.userid,
        month_customers.month
    from month_customers
)

select * from final
