{#- A model's row rules in one scan each and one dbt node (one Dagster asset check): every listed
    column holds no null, and, given `unique_key`, no combination of those columns occurs twice
    (nulls equal, as unique_combination). Fails with one row per column holding nulls (rule
    not_null, its null rows) and one per duplicated key (rule unique, the key's values as text and
    its rows). A test per column, and the key in a test of its own, was a query and a node each,
    ~35–65 ms of dbt's own work a node a night: a separate key test was a third of a night's test
    nodes. Empty models pass (a sum over no rows is null). -#}
{% test not_null_columns(model, columns, unique_key=none) %}

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
)

select * from final

{% endtest %}
