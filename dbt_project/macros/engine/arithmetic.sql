{#- Numbers and calendar arithmetic whose meaning differs by engine. -#}

{#- `numerator / denominator` as a double, DuckDB's `/` on any numbers: Spark's `/` keeps
    decimals decimal (another rounding) and only integers become doubles. -#}
{% macro divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('divide')(numerator, denominator)) }}
{%- endmacro %}

{% macro duckdb__divide(numerator, denominator) -%}
    {{ numerator }} / {{ denominator }}
{%- endmacro %}

{% macro spark__divide(numerator, denominator) -%}
    cast({{ numerator }} as double) / {{ denominator }}
{%- endmacro %}

{#- Integer division truncating toward zero (-7 by 2 is -3 on both): DuckDB's `//`, Spark's `div`
    (Spark's `//` is no operator). -#}
{% macro integer_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('integer_divide')(numerator, denominator)) }}
{%- endmacro %}

{% macro duckdb__integer_divide(numerator, denominator) -%}
    {{ numerator }} // {{ denominator }}
{%- endmacro %}

{% macro spark__integer_divide(numerator, denominator) -%}
    {{ numerator }} div {{ denominator }}
{%- endmacro %}

{#- Month boundaries crossed from `start` to `end` (Jan 31 → Feb 1 is 1), DuckDB's
    date_diff('month', …); Spark's months_between is a fraction of months instead. -#}
{% macro month_boundaries(start, end) -%}
    {{ return(adapter.dispatch('month_boundaries')(start, end)) }}
{%- endmacro %}

{% macro duckdb__month_boundaries(start, end) -%}
    date_diff('month', {{ start }}, {{ end }})
{%- endmacro %}

{% macro spark__month_boundaries(start, end) -%}
    (year({{ end }}) - year({{ start }})) * 12 + month({{ end }}) - month({{ start }})
{%- endmacro %}
