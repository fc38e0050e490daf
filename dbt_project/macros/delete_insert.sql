{#- dbt-duckdb's delete+insert, with keys compared by `is not distinct from`: its own compares them
    with `=`, which never matches a key with a null part (a 群发 result to a person has no chat_id),
    so the old row would stay beside the new one. Used by the incremental staging models. -#}
{% macro duckdb__get_delete_insert_merge_sql(
    target, source, unique_key, dest_columns, incremental_predicates
) -%}
    {%- set columns = get_quoted_csv(dest_columns | map(attribute="name")) -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- if keys %}
    delete from {{ target }} as dbt_incremental_target
    using {{ source }}
    where
        {%- for key in keys %}
        {{ source }}.{{ key }} is not distinct from dbt_incremental_target.{{ key }}{{ ' and' if not loop.last }}
        {%- endfor %}
        {%- for predicate in incremental_predicates or [] %}
        and {{ predicate }}
        {%- endfor %};
    {%- endif %}

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
{%- endmacro %}
