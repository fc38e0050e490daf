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

{#- A constant instant written without a zone ('9999-12-31'), read in the session's zone (UTC on
    both, profiles.yml). -#}
{% macro instant_literal(text) -%}
    {{ return(adapter.dispatch('instant_literal')(text)) }}
{%- endmacro %}

{% macro duckdb__instant_literal(text) -%}
    timestamptz '{{ text }}'
{%- endmacro %}

{% macro spark__instant_literal(text) -%}
    timestamp '{{ text }}'
{%- endmacro %}

{#- The date a 'YYYY-MM-DD' text names, null when it names none ('2000-02-30', '07/23'): DuckDB's
    try_strptime, Spark's try_to_timestamp (its 'M' and 'd' read one or two digits, as DuckDB's
    '%m' and '%d' do). -#}
{% macro try_iso_date(text) -%}
    {{ return(adapter.dispatch('try_iso_date')(text)) }}
{%- endmacro %}

{% macro duckdb__try_iso_date(text) -%}
    cast(try_strptime({{ text }}, '%Y-%m-%d') as date)
{%- endmacro %}

{% macro spark__try_iso_date(text) -%}
    cast(try_to_timestamp({{ text }}, 'yyyy-M-d') as date)
{%- endmacro %}

{#- An empty list of structs, `fields` a mapping of field name to 'text' or 'instant'. -#}
{% macro empty_struct_list(fields) -%}
    {{ return(adapter.dispatch('empty_struct_list')(fields)) }}
{%- endmacro %}

{% macro duckdb__empty_struct_list(fields) -%}
    {%- set types = {'text': 'varchar', 'instant': 'timestamptz'} -%}
    cast([] as struct(
        {%- for name, kind in fields.items() -%}
            {{ name }} {{ types[kind] }}{{ ', ' if not loop.last }}
        {%- endfor -%}
    )[])
{%- endmacro %}

{% macro spark__empty_struct_list(fields) -%}
    {%- set types = {'text': 'string', 'instant': 'timestamp'} -%}
    cast(array() as array<struct<
        {%- for name, kind in fields.items() -%}
            {{ name }}: {{ types[kind] }}{{ ', ' if not loop.last }}
        {%- endfor -%}
    >>)
{%- endmacro %}
