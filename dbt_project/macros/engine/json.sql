{#- JSON text in raw columns (DuckDB's JSON type; a string on Spark). -#}

{#- A JSON array as a list of `element_type` ('JSON', 'VARCHAR', 'BIGINT'): DuckDB's from_json
    with its type names; Spark's from_json gives an element that is an object or array as its JSON
    text when asked for strings, as DuckDB's 'JSON' elements are. -#}
{% macro json_list(expression, element_type) -%}
    {{ return(adapter.dispatch('json_list')(expression, element_type)) }}
{%- endmacro %}

{% macro duckdb__json_list(expression, element_type) -%}
    from_json({{ expression }}, '["{{ element_type | upper }}"]')
{%- endmacro %}

{% macro spark__json_list(expression, element_type) -%}
    {%- set spark_types = {
        'JSON': 'string', 'VARCHAR': 'string', 'BIGINT': 'bigint', 'INTEGER': 'int',
    } -%}
    from_json({{ expression }}, 'array<{{ spark_types[element_type | upper] }}>')
{%- endmacro %}

{#- The text of the value at `path` ('key' or a '$.a.b' path): a string unquoted, a number or
    object as JSON text, a JSON null as null. -#}
{% macro json_text(expression, path) -%}
    {{ return(adapter.dispatch('json_text')(expression, path)) }}
{%- endmacro %}

{% macro duckdb__json_text(expression, path) -%}
    {{ expression }} ->> '{{ path }}'
{%- endmacro %}

{% macro spark__json_text(expression, path) -%}
    get_json_object({{ expression }}, '{{ path if path.startswith("$") else "$." ~ path }}')
{%- endmacro %}

{#- True when some element of the JSON array `expression` has `field` set to a value outside
    `absent` (the values that mean "none"), false otherwise (no element, field missing or null). -#}
{% macro json_array_any_set(expression, field, absent) -%}
    {{ return(adapter.dispatch('json_array_any_set')(expression, field, absent)) }}
{%- endmacro %}

{% macro duckdb__json_array_any_set(expression, field, absent) -%}
    coalesce(
        list_bool_or(
            list_transform(
                json_extract_string({{ expression }}, '$[*].{{ field }}'),
                lambda r: r not in ('{{ absent | join("', '") }}')
            )
        ),
        false
    )
{%- endmacro %}

{% macro spark__json_array_any_set(expression, field, absent) -%}
    coalesce(
        exists(
            from_json({{ expression }}, 'array<string>'),
            e -> get_json_object(e, '$.{{ field }}') not in ('{{ absent | join("', '") }}')
        ),
        false
    )
{%- endmacro %}
