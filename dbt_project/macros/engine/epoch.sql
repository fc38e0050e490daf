{#- Instants as epoch numbers and back. -#}

{#- Milliseconds since 1970-01-01 UTC of an instant (bigint). -#}
{% macro to_epoch_ms(ts) -%}
    {{ return(adapter.dispatch('to_epoch_ms')(ts)) }}
{%- endmacro %}

{% macro duckdb__to_epoch_ms(ts) -%}
    epoch_ms({{ ts }})
{%- endmacro %}

{% macro spark__to_epoch_ms(ts) -%}
    unix_millis({{ ts }})
{%- endmacro %}

{#- Seconds since 1970-01-01 UTC of an instant (DuckDB's epoch() is a double: fractions kept). -#}
{% macro to_epoch_seconds(ts) -%}
    {{ return(adapter.dispatch('to_epoch_seconds')(ts)) }}
{%- endmacro %}

{% macro duckdb__to_epoch_seconds(ts) -%}
    epoch({{ ts }})
{%- endmacro %}

{% macro spark__to_epoch_seconds(ts) -%}
    unix_micros({{ ts }}) / 1000000.0
{%- endmacro %}

{#- The instant `seconds` (an integer) after 1970-01-01 UTC. -#}
{% macro from_epoch_seconds(seconds) -%}
    {{ return(adapter.dispatch('from_epoch_seconds')(seconds)) }}
{%- endmacro %}

{% macro duckdb__from_epoch_seconds(seconds) -%}
    to_timestamp({{ seconds }})
{%- endmacro %}

{% macro spark__from_epoch_seconds(seconds) -%}
    timestamp_seconds({{ seconds }})
{%- endmacro %}
