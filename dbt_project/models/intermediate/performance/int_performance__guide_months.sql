{#- The guide × Beijing month rows of guide_performance. marts.md: every employee with role guide
    in org/employee × every month from the first loaded month to the latest, so a leaderboard shows
    the guides who have nothing. The latest list decides who is a guide, left ones included: it is
    the brand's own word, and a guide who left mid-period still earned that period's figures.
    Only guides: a manager's or a service account's customers are in guide_assets_daily, not here
    (marts.md's rows are the guides'). -#}
with

employees as (select * from {{ ref('stg_org__employees') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

months as (
    select cast(month_series.generate_series as date) as month
    from bounds
    {{ generate_series_join(
        month_start('bounds.first_date'), month_start('bounds.last_date'), 'interval 1 month',
        'month_series'
    ) }}
),

final as (
    select
        employees.userid,
        months.month
    from employees
    cross join months
    where employees.role = 'guide'
)

select * from final
