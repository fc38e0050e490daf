{#- Numbers and calendar arithmetic whose meaning differs by engine. -#}

{#- `numerator / denominator` as a double, DuckDB's `/` on any numbers: Spark's `/` keeps
    decimals decimal (another rounding) and only integers become doubles. Both operands and the
    quotient are parenthesised, so an expression passed in (`a - b`) or around the call stays whole. -#}
{% macro divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('divide')(numerator, denominator)) }}
{%- endmacro %}

{% macro duckdb__divide(numerator, denominator) -%}
    (({{ numerator }}) / ({{ denominator }}))
{%- endmacro %}

{% macro spark__divide(numerator, denominator) -%}
    (cast(({{ numerator }}) as double) / ({{ denominator }}))
{%- endmacro %}

{#- Integer division truncating toward zero (-7 by 2 is -3 on both): DuckDB's `//`, Spark's `div`
    (Spark's `//` is no operator). -#}
{% macro integer_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('integer_divide')(numerator, denominator)) }}
{%- endmacro %}

{% macro duckdb__integer_divide(numerator, denominator) -%}
    (({{ numerator }}) // ({{ denominator }}))
{%- endmacro %}

{% macro spark__integer_divide(numerator, denominator) -%}
    (({{ numerator }}) div ({{ denominator }}))
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

{#- The instant `hours` (an integer expression) after `ts`: DuckDB's interval with an expression,
    Spark's make_dt_interval (its interval literals take no expression). -#}
{% macro add_hours(ts, hours) -%}
    {{ return(adapter.dispatch('add_hours')(ts, hours)) }}
{%- endmacro %}

{% macro duckdb__add_hours(ts, hours) -%}
    {{ ts }} + interval ({{ hours }}) hour
{%- endmacro %}

{% macro spark__add_hours(ts, hours) -%}
    {{ ts }} + make_dt_interval(0, {{ hours }}, 0, 0)
{%- endmacro %}

{#- The instant `days` (an integer expression) × 24 hours after `ts` (the session is in UTC, so a
    day is 24 hours on both): DuckDB's to_days, Spark's make_dt_interval. -#}
{% macro add_days(ts, days) -%}
    {{ return(adapter.dispatch('add_days')(ts, days)) }}
{%- endmacro %}

{% macro duckdb__add_days(ts, days) -%}
    {{ ts }} + to_days({{ days }})
{%- endmacro %}

{% macro spark__add_days(ts, days) -%}
    {{ ts }} + make_dt_interval({{ days }}, 0, 0, 0)
{%- endmacro %}

{#- Days from the date `start` to the date `end` (an integer): DuckDB's date subtraction; Spark's
    gives an interval, its datediff the days. -#}
{% macro days_between(start, end) -%}
    {{ return(adapter.dispatch('days_between')(start, end)) }}
{%- endmacro %}

{% macro duckdb__days_between(start, end) -%}
    {{ end }} - {{ start }}
{%- endmacro %}

{% macro spark__days_between(start, end) -%}
    datediff({{ end }}, {{ start }})
{%- endmacro %}

{#- The first day of the month of the date `day`: DuckDB's date_trunc keeps a date a date, Spark's
    gives a timestamp; its trunc a date. -#}
{% macro month_start(day) -%}
    {{ return(adapter.dispatch('month_start')(day)) }}
{%- endmacro %}

{% macro duckdb__month_start(day) -%}
    date_trunc('month', {{ day }})
{%- endmacro %}

{% macro spark__month_start(day) -%}
    trunc({{ day }}, 'MM')
{%- endmacro %}
