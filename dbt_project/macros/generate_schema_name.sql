{#- Models land in the schema their folder names (staging, intermediate, marts), not
    <target>_<schema>: BI tools and analysts query `marts.user_assets`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
