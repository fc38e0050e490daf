{#- Structs and literal lists. -#}

{#- A struct of named fields, `fields` a mapping of name to expression in field order: DuckDB's
    {'name': value} literal, Spark's named_struct. Both order structs field by field (min_by /
    arg_min over a struct key). -#}
{% macro struct_of(fields) -%}
    {{ return(adapter.dispatch('struct_of')(fields)) }}
{%- endmacro %}

{% macro duckdb__struct_of(fields) -%}
    { {%- for name, value in fields.items() %}
        '{{ name }}': {{ value }}{{ ',' if not loop.last }}
    {%- endfor %}
    }
{%- endmacro %}

{% macro spark__struct_of(fields) -%}
    named_struct( {%- for name, value in fields.items() %}
        '{{ name }}', {{ value }}{{ ',' if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}

{#- The 1-based position of `expression` in the literal list of strings `values`, null when absent
    (an integer): DuckDB's list_position; Spark's array_position says 0 and is a bigint. -#}
{% macro position_in(values, expression) -%}
    {{ return(adapter.dispatch('position_in')(values, expression)) }}
{%- endmacro %}

{% macro duckdb__position_in(values, expression) -%}
    list_position(['{{ values | join("', '") }}'], {{ expression }})
{%- endmacro %}

{% macro spark__position_in(values, expression) -%}
    cast(nullif(array_position(array('{{ values | join("', '") }}'), {{ expression }}), 0) as int)
{%- endmacro %}
