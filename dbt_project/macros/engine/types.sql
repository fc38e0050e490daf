{#- Type names one engine spells otherwise (in casts: `cast(null as {{ instant_type() }})`). -#}

{#- An instant: DuckDB's timestamp with time zone, Spark's timestamp (an instant too, shown in the
    session's zone). -#}
{% macro instant_type() -%}
    {{ return(adapter.dispatch('instant_type')()) }}
{%- endmacro %}

{% macro duckdb__instant_type() -%}
    timestamptz
{%- endmacro %}

{% macro spark__instant_type() -%}
    timestamp
{%- endmacro %}
