{#- dbt-duckdb's delete+insert, with keys compared by `is not distinct from`: its own compares them
    with `=`, which never matches a key with a null part (a 群发 result to a person has no chat_id),
    so the old row would stay beside the new one. Every incremental model's delete+insert.

    A key column with no null among tonight's rows is compared with `=`: the same target rows match
    (a null key part matches only a null one), and DuckDB then filters the target's scan by the
    key's range and joins by plain equality, where `is not distinct from` reads every row (the
    identity pairs' delete at 1,000,000 customers: 0.65 → 0.24 s). One query of tonight's rows
    tells which key columns hold a null. -#}
{% macro duckdb__get_delete_insert_merge_sql(
    target, source, unique_key, dest_columns, incremental_predicates
) -%}
    {%- set columns = get_quoted_csv(dest_columns | map(attribute="name")) -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- if keys %}
    {%- set nullable = keys_with_nulls(source, keys) %}
    delete from {{ target }} as dbt_incremental_target
    using {{ source }}
    where
        {%- for key in keys %}
        {%- set compare = 'is not distinct from' if key in nullable else '=' %}
        {{ source }}.{{ key }} {{ compare }} dbt_incremental_target.{{ key }}{{ ' and' if not loop.last }}
        {%- endfor %}
        {%- for predicate in incremental_predicates or [] %}
        and {{ predicate }}
        {%- endfor %};
    {%- endif %}

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
{%- endmacro %}

{#- The key columns holding a null in `source` (every key when not executing, as when compiling) -#}
{% macro keys_with_nulls(source, keys) -%}
    {%- if not execute %}
        {{- return(keys) }}
    {%- endif %}
    {%- set query -%}
        select
        {%- for key in keys %}
            coalesce(bool_or({{ key }} is null), false){{ ',' if not loop.last }}
        {%- endfor %}
        from {{ source }}
    {%- endset %}
    {%- set row = run_query(query).rows[0] %}
    {%- set nullable = [] %}
    {%- for key in keys %}
        {%- if row[loop.index0] %}
            {%- do nullable.append(key) %}
        {%- endif %}
    {%- endfor %}
    {{- return(nullable) }}
{%- endmacro %}
