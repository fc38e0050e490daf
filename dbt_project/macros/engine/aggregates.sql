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

{#- The distinct non-null values of `expression` in ascending order, joined by `separator`; null
    when there is none (DuckDB's string_agg(distinct … order by …)). -#}
{% macro sorted_distinct_text(expression, separator) -%}
    {{ return(adapter.dispatch('sorted_distinct_text')(expression, separator)) }}
{%- endmacro %}

{% macro duckdb__sorted_distinct_text(expression, separator) -%}
    string_agg(distinct {{ expression }}, '{{ separator }}' order by {{ expression }})
{%- endmacro %}

{% macro spark__sorted_distinct_text(expression, separator) -%}
    case when count({{ expression }}) > 0 then
        array_join(array_sort(collect_set({{ expression }})), '{{ separator }}')
    end
{%- endmacro %}

{#- The median of a double `expression` (nulls left out; null when none is left), DuckDB's median:
    the middle value, or of two middle values a and b, 0.5·a + 0.5·b, which is (a + b) / 2 in
    doubles. Spark's median (percentile 0.5) takes a + (b − a)·0.5, a last digit apart at times
    (26.542222222222218 against 26.54222222222222 in funnel_steps), so Spark takes the middle of
    the sorted values itself. -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median')(expression)) }}
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    median({{ expression }})
{%- endmacro %}

{% macro spark__median(expression) -%}
    {%- set sorted = 'array_sort(collect_list(' ~ expression ~ '))' -%}
    {%- set n = 'count(' ~ expression ~ ')' -%}
    case
        when {{ n }} % 2 = 1 then element_at({{ sorted }}, cast({{ n }} div 2 + 1 as int))
        when {{ n }} > 0 then (
            element_at({{ sorted }}, cast({{ n }} div 2 as int))
            + element_at({{ sorted }}, cast({{ n }} div 2 + 1 as int))
        ) / 2
    end
{%- endmacro %}
