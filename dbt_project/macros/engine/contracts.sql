{#- Mart contracts on Spark. The YAML names DuckDB's types (the one written contract, which the
    Superset bundle reads too); dbt checks a contract by asking the engine for the types of
    `cast(null as <data_type>)` (get_empty_schema_sql) and comparing them with the model's. Spark
    spells two of those names otherwise, so it is asked about the same types under its names: text
    (DuckDB's varchar; Spark's varchar needs a length) is `string`, and an instant (DuckDB's
    timestamp with time zone) is `timestamp`. Every other name (bigint, integer, double, boolean,
    date, decimal(p,s)) is the same type on both and passes as written. DuckDB's contract is dbt's
    own check, untouched. -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set spark_names = {'varchar': 'string', 'timestamp with time zone': 'timestamp'} -%}
    {%- set translated = {} -%}
    {%- for name in columns -%}
        {%- set column = columns[name] -%}
        {%- set data_type = column['data_type'] -%}
        {%- set spark_type = spark_names.get((data_type or '') | trim | lower, data_type) -%}
        {%- do translated.update({name: dict(column, data_type=spark_type)}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(translated)) }}
{%- endmacro %}
