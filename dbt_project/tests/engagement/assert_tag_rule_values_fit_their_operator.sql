{#- A customer_tag_rules row whose value cannot be used by its operator would silently tag no one:
    gte / lte need a number, eq needs a value. -#}
select rules.*
from {{ ref('customer_tag_rules') }} as rules
where
    rules.operator in ('gte', 'lte') and try_cast(rules.value as double) is null
    or rules.operator = 'eq' and rules.value is null
