{#- Spark: seeds loaded as literals that escape their quotes. dbt-spark 1.11's session method pastes
    each bound value between quotes unescaped, so a seed text with an apostrophe ("guide's") breaks
    the insert; the seeds here are a few dozen rows, one statement each. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- set sql -%}
        insert into {{ this.render() }} values
        {%- for row in agate_table.rows %}
        ({%- for value in row -%}
            {%- set name = agate_table.column_names[loop.index0] -%}
            {%- set inferred = adapter.convert_type(agate_table, loop.index0) -%}
            {%- set type = column_types.get(name, inferred) -%}
            cast({{ seed_literal(value) }} as {{ type }}){{ ', ' if not loop.last }}
        {%- endfor -%}){{ ',' if not loop.last }}
        {%- endfor %}
    {%- endset -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {{ return(sql) }}
{%- endmacro %}

{#- A seed value as a Spark SQL literal. -#}
{% macro seed_literal(value) -%}
    {%- if value is none -%} null
    {%- elif value is sameas true or value is sameas false -%} {{ value | string | lower }}
    {%- elif value is number -%} {{ value }}
    {%- else -%} {{ spark_string(value | string) }}
    {%- endif -%}
{%- endmacro %}
