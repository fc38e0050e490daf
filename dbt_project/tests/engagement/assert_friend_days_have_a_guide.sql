{#- Friend days count from the primary guide's friendship, so a friend-day moment always has the
    guide who reaches out; a null userid would mean the anchor and user_assets disagree on the
    primary guide. -#}
{#- the Dagster asset check attaches here -#}
{{ config(meta={'dagster': {'ref': {'name': 'care_calendar'}}}) }}
select care_calendar.*
from {{ ref('care_calendar') }} as care_calendar
inner join
    {{ ref('care_moments') }} as care_moments
    on care_calendar.moment_type = care_moments.moment_type
where care_moments.anchor = 'friendship_started' and care_calendar.userid is null
