{#- Beijing business time of a UTC instant. DuckDB's timestamptz and Spark's timestamp are both
    instants; the session time zone is UTC on both (profiles.yml), which Spark's casts rely on. -#}

{#- The Beijing business date of an instant. -#}
{% macro beijing_date(ts) -%}
    {{ return(adapter.dispatch('beijing_date')(ts)) }}
{%- endmacro %}

{% macro duckdb__beijing_date(ts) -%}
    cast(timezone('{{ var("siyu_timezone") }}', {{ ts }}) as date)
{%- endmacro %}

{% macro spark__beijing_date(ts) -%}
    to_date(from_utc_timestamp({{ ts }}, '{{ var("siyu_timezone") }}'))
{%- endmacro %}

{#- The Beijing wall-clock time of an instant, as a timestamp without zone. -#}
{% macro beijing_local(ts) -%}
    {{ return(adapter.dispatch('beijing_local')(ts)) }}
{%- endmacro %}

{% macro duckdb__beijing_local(ts) -%}
    timezone('{{ var("siyu_timezone") }}', {{ ts }})
{%- endmacro %}

{% macro spark__beijing_local(ts) -%}
    cast(from_utc_timestamp({{ ts }}, '{{ var("siyu_timezone") }}') as timestamp_ntz)
{%- endmacro %}

{#- The UTC instant of 00:00 Beijing on a date: a business day's start. -#}
{% macro beijing_midnight(day) -%}
    {{ return(adapter.dispatch('beijing_midnight')(day)) }}
{%- endmacro %}

{% macro duckdb__beijing_midnight(day) -%}
    timezone('{{ var("siyu_timezone") }}', cast({{ day }} as timestamp))
{%- endmacro %}

{% macro spark__beijing_midnight(day) -%}
    to_utc_timestamp(cast({{ day }} as timestamp), '{{ var("siyu_timezone") }}')
{%- endmacro %}

{#- An instant as ISO 8601 text in UTC with milliseconds ('2026-10-01T08:00:00.000Z'); Spark's
    date_format writes the session's zone, UTC (profiles.yml). -#}
{% macro iso_utc_text(ts) -%}
    {{ return(adapter.dispatch('iso_utc_text')(ts)) }}
{%- endmacro %}

{% macro duckdb__iso_utc_text(ts) -%}
    strftime(timezone('UTC', {{ ts }}), '%Y-%m-%dT%H:%M:%S.%gZ')
{%- endmacro %}

{% macro spark__iso_utc_text(ts) -%}
    date_format({{ ts }}, "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
{%- endmacro %}
