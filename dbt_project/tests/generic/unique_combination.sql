{#- Fails with every combination of `columns` that occurs more than once. Nulls compare equal
    (`group by` puts them in one group), so a key with optional parts is still tested: two rows
    that differ only by being null in the same column are duplicates. -#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(',\n    ') }},
    count(*) as rows_per_key
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
