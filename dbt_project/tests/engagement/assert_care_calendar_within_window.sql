{#- Every care moment falls in the window after the latest loaded date: days_ahead 1 …
    care_calendar_days, and days_ahead agrees with moment_date. -#}
{#- the Dagster asset check attaches here -#}
{{ config(meta={'dagster': {'ref': {'name': 'care_calendar'}}}) }}
select care_calendar.*
from {{ ref('care_calendar') }} as care_calendar
cross join {{ ref('int_calendar__bounds') }} as bounds
where
    care_calendar.days_ahead not between 1 and {{ var('care_calendar_days') }}
    or care_calendar.moment_date <> bounds.last_date + care_calendar.days_ahead
