{#- Birthdays are stored as month-day only, so a one-off moment counted from a birthday has no date
    and would silently never be due: birthday moments must be annual. -#}
select care_moments.*
from {{ ref('care_moments') }} as care_moments
where care_moments.anchor = 'birthday' and not care_moments.is_annual
