{#- Generated rows: calendars and small lists of constants. -#}

{#- A join clause giving one row per step from `start` to `stop` (both included), as
    `alias.generate_series` (DuckDB's name): DuckDB's generate_series (a timestamp for dates and an
    interval step), Spark's sequence exploded (a date for dates): cast it to the type meant. On
    Spark a lateral view, which follows every join of the `from`, so this clause comes last. -#}
{% macro generate_series_join(start, stop, step, alias) -%}
    {{ return(adapter.dispatch('generate_series_join')(start, stop, step, alias)) }}
{%- endmacro %}

{% macro duckdb__generate_series_join(start, stop, step, alias) -%}
    cross join generate_series({{ start }}, {{ stop }}, {{ step }}) as {{ alias }}
{%- endmacro %}

{% macro spark__generate_series_join(start, stop, step, alias) -%}
    lateral view explode(sequence({{ start }}, {{ stop }}, {{ step }})) {{ alias }} as generate_series
{%- endmacro %}

{#- A select of one row per string of `values` in the column `column`. -#}
{% macro select_values(values, column) -%}
    {{ return(adapter.dispatch('select_values')(values, column)) }}
{%- endmacro %}

{% macro duckdb__select_values(values, column) -%}
    select unnest(['{{ values | join("', '") }}']) as {{ column }}
{%- endmacro %}

{% macro spark__select_values(values, column) -%}
    select explode(array('{{ values | join("', '") }}')) as {{ column }}
{%- endmacro %}

{#- A select-list generator: one row per integer from `start` up to `stop` excluded (DuckDB's
    unnest(range(…))); none when stop ≤ start (Spark's sequence would count down). -#}
{% macro unnest_range(start, stop) -%}
    {{ return(adapter.dispatch('unnest_range')(start, stop)) }}
{%- endmacro %}

{% macro duckdb__unnest_range(start, stop) -%}
    unnest(range({{ start }}, {{ stop }}))
{%- endmacro %}

{% macro spark__unnest_range(start, stop) -%}
    explode(case when {{ stop }} > {{ start }} then sequence({{ start }}, {{ stop }} - 1) end)
{%- endmacro %}

{#- A relation of the integers from `start` up to `stop` excluded, one column `column`, for
    `from {{ range_relation(1, 6, 'r_scores', 'r_score') }}`. -#}
{% macro range_relation(start, stop, alias, column) -%}
    {{ return(adapter.dispatch('range_relation')(start, stop, alias, column)) }}
{%- endmacro %}

{% macro duckdb__range_relation(start, stop, alias, column) -%}
    range({{ start }}, {{ stop }}) as {{ alias }} ({{ column }})
{%- endmacro %}

{% macro spark__range_relation(start, stop, alias, column) -%}
    (select id as {{ column }} from range({{ start }}, {{ stop }})) as {{ alias }}
{%- endmacro %}
