{#- A stable md5 key over several columns, for natural keys with optional parts (a null and an
    empty string hash alike, which no key here distinguishes). -#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('|',
    {%- for column in columns %}
        coalesce(cast({{ column }} as varchar), ''){{ ',' if not loop.last }}
    {%- endfor %}
    ))
{%- endmacro %}
