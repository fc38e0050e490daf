{#- Fails with every combination of `columns` that occurs more than once. Nulls compare equal
    (`group by` puts them in one group), so a key with optional parts is still tested: two rows
    that differ only by being null in the same column are duplicates. The query: duplicate_keys
    (macros/duplicate_keys.sql). A model's not-null test can check its key in the same node
    (not_null_columns' unique_key). -#}
{% test unique_combination(model, columns) %}

{{ duplicate_keys(model, columns) }}

{% endtest %}
