{#- Aggregates one engine names or treats otherwise. -#}

{#- `arg` at the row of the smallest `val` (rows with a null `val` left out), DuckDB's arg_min.
    By default rows whose `arg` is null are left out too (DuckDB's arg_min); with keep_nulls, the
    row's `arg` is taken even when null (DuckDB's arg_min_null, Spark's min_by). -#}
{% macro arg_min(arg, val, keep_nulls=false) -%}
    {{ return(adapter.dispatch('arg_min')(arg, val, keep_nulls)) }}
{%- endmacro %}

{% macro duckdb__arg_min(arg, val, keep_nulls) -%}
    arg_min{{ '_null' if keep_nulls }}({{ arg }}, {{ val }})
{%- endmacro %}

{% macro spark__arg_min(arg, val, keep_nulls) -%}
    {%- if keep_nulls -%}
        min_by({{ arg }}, {{ val }})
    {%- else -%}
        min_by({{ arg }}, case when {{ arg }} is not null then {{ val }} end)
    {%- endif -%}
{%- endmacro %}

{#- `arg` at the row of the largest `val`: arg_min's twin (DuckDB's arg_max, arg_max_null). -#}
{% macro arg_max(arg, val, keep_nulls=false) -%}
    {{ return(adapter.dispatch('arg_max')(arg, val, keep_nulls)) }}
{%- endmacro %}

{% macro duckdb__arg_max(arg, val, keep_nulls) -%}
    arg_max{{ '_null' if keep_nulls }}({{ arg }}, {{ val }})
{%- endmacro %}

{% macro spark__arg_max(arg, val, keep_nulls) -%}
    {%- if keep_nulls -%}
        max_by({{ arg }}, {{ val }})
    {%- else -%}
        max_by({{ arg }}, case when {{ arg }} is not null then {{ val }} end)
    {%- endif -%}
{%- endmacro %}
