{#- The run's start in microseconds since the epoch (dbt's run_started_at). int_identity__pairs
    stamps the rows it writes with it, so int_identity__nodes finds what changed since its own last
    run. A macro, so that a unit test can set it. -#}
{% macro run_start_micros() -%}
    {{ return((run_started_at.timestamp() * 1000000) | int) }}
{%- endmacro %}
