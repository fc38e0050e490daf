{#- A stable md5 key over several columns, for natural keys with optional parts (a null and an
    empty string hash alike, which no key here distinguishes). Portable: md5 and concat_ws agree
    on both engines, and so does the text of strings, integers, dates and decimals (as_text);
    a timestamp's text does not (DuckDB writes `+00`), so keys hash its epoch (to_epoch_ms). -#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('|',
    {%- for column in columns %}
        coalesce({{ as_text(column) }}, ''){{ ',' if not loop.last }}
    {%- endfor %}
    ))
{%- endmacro %}

{#- A value as text: DuckDB's varchar, Spark's string (Spark's varchar needs a length). -#}
{% macro as_text(expression) -%}
    {{ return(adapter.dispatch('as_text')(expression)) }}
{%- endmacro %}

{% macro duckdb__as_text(expression) -%}
    cast({{ expression }} as varchar)
{%- endmacro %}

{% macro spark__as_text(expression) -%}
    cast({{ expression }} as string)
{%- endmacro %}

{#- An instant as DuckDB's text of a timestamptz in a UTC session ('2026-10-01 08:00:00+00',
    '… 08:00:00.5+00': fractions without trailing zeros), on both engines, for keys over instants
    that DuckDB hashed as text: Spark's text of a timestamp in a UTC session is the same without the
    '+00'. -#}
{% macro instant_text(ts) -%}
    {{ return(adapter.dispatch('instant_text')(ts)) }}
{%- endmacro %}

{% macro duckdb__instant_text(ts) -%}
    cast({{ ts }} as varchar)
{%- endmacro %}

{% macro spark__instant_text(ts) -%}
    cast({{ ts }} as string) || '+00'
{%- endmacro %}
