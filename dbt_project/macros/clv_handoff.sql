{#- The post-hook of int_value__clv_purchases on DuckDB: its rows to
    `<warehouse>.clv-handoff.parquet`, which the CLV fit's worker reads while dbt goes on (value/handoff.py; the CLV step removes the
    file). Nothing on other engines: there the CLV step reads its inputs itself. -#}
{% macro clv_handoff(relation) -%}
    {%- if target.type == 'duckdb' -%}
        copy (select * from {{ relation }})
        to '{{ (target.path ~ ".clv-handoff.parquet") | replace("'", "''") }}' (format parquet)
    {%- endif -%}
{%- endmacro %}
