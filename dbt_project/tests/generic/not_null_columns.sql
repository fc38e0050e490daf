{#- Fails with one row per listed column that holds a null, naming the column and its null rows.
    A model's not-null rules in one scan and one dbt node (one Dagster asset check): a `not_null`
    test per column was a query and a node each, ~65 ms of dbt's own work a node, and 259 of them
    were over half of a night's test nodes. Empty models pass (a sum over no rows is null). -#}
{% test not_null_columns(model, columns) %}

with

null_counts as (
    select
{%- for column in columns %}
        sum(case when {{ column }} is null then 1 else 0 end) as nulls_{{ loop.index }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}
),

final as (
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
)

select * from final

{% endtest %}
