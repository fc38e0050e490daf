{#- A model's row rules in one scan each and one dbt node (one Dagster asset check): every listed
    column holds no null; given `unique_key`, no combination of those columns occurs twice (nulls
    equal, as unique_combination); given `unique_columns`, none of those columns holds a value twice
    (each must also be in `columns`, so a null fails as not_null, as with dbt's `unique` beside
    `not_null`); given `accepted_values` ({column: [values]}), the column holds only those values
    (as text) or null, as dbt's `accepted_values`. Fails with one row per column holding nulls (rule
    not_null, its null rows), one per duplicated key or value (rule unique, the values as text and
    their rows) and one per value not accepted (rule accepted_values, the value and its rows). A
    test per column, and the key in a test of its own, was a query and a node each, ~35–65 ms of
    dbt's own work a node a night: a separate key test was a third of a night's test nodes. Empty
    models pass (a sum over no rows is null). -#}
{% test not_null_columns(model, columns, unique_key=none, unique_columns=[], accepted_values={}) %}
{%- for column in unique_columns if column not in columns %}
{{ exceptions.raise_compiler_error("not_null_columns: unique column " ~ column ~ " is not in columns") }}
{%- endfor %}

with

null_counts as (
    select
{%- for column in columns %}
        sum(case when {{ column }} is null then 1 else 0 end) as nulls_{{ loop.index }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}
),
{%- if unique_key %}

duplicates as (
    {{ duplicate_keys(model, unique_key) | indent(4) }}
),
{%- endif %}
{%- for column in unique_columns %}

duplicates_{{ loop.index }} as (
    {{ duplicate_keys(model, [column]) | indent(4) }}
),
{%- endfor %}
{%- if accepted_values %}

unexpected_values as (
{%- for column, values in accepted_values.items() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ column }}' as column_name,
        {{ as_text(column) }} as column_value,
        count(*) as value_rows
    from {{ model }}
    where
        {{ column }} is not null
        and {{ as_text(column) }} not in ('{{ values | join("', '") }}')
    group by {{ column }}
    {%- endfor %}
),
{%- endif %}

null_rows as (
{%- for column in columns %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ column }}' as column_name,
        null_counts.nulls_{{ loop.index }} as null_rows
    from null_counts
    where null_counts.nulls_{{ loop.index }} > 0
    {%- endfor %}
),

final as (
    select
        'not_null' as rule,
        null_rows.column_name,
        {{ as_text('null') }} as key_value,
        null_rows.null_rows as failing_rows
    from null_rows
{%- if unique_key %}
    union all
    select
        'unique' as rule,
        '{{ unique_key | join(", ") }}' as column_name,
        concat_ws(
            ', '
            {%- for column in unique_key %},
            coalesce({{ as_text('duplicates.' ~ column) }}, 'null')
{%- endfor %}
        ) as key_value,
        duplicates.rows_per_key as failing_rows
    from duplicates
{%- endif %}
{%- for column in unique_columns %}
    union all
    select
        'unique' as rule,
        '{{ column }}' as column_name,
        {{ as_text('duplicates_' ~ loop.index ~ '.' ~ column) }} as key_value,
        duplicates_{{ loop.index }}.rows_per_key as failing_rows
    from duplicates_{{ loop.index }}
{%- endfor %}
{%- if accepted_values %}
    union all
    select
        'accepted_values' as rule,
        unexpected_values.column_name,
        unexpected_values.column_value as key_value,
        unexpected_values.value_rows as failing_rows
    from unexpected_values
{%- endif %}
)

select * from final

{% endtest %}
