{#- Spark: every dbt source as a table over the Parquet folder `<folder>/<schema>/<identifier>`
    that engines/raw_parquet.py wrote (`dbt run-operation declare_parquet_sources --args
    '{folder: ...}'`). Replaces an earlier declaration, so a new export is read afresh. `tables`
    (`schema.identifier` names): only those were exported; any other source is dropped, so a model
    reading one fails by its name (the identity tables before the first identity step).
    `partitioned` ({`schema.identifier`: column list}): tables laid out in `_business_date=…`
    folders (engines/raw_layer.py), declared with their columns (a table with no partition yet has
    no file to infer them from) and with the file system as their partition list
    (manageFilesourcePartitions off at creation, kept by the table): the folders a sync leaves are
    what a query reads, with no partition list in the metastore to fall behind them. Those folders
    are listed on the driver, for the rest of the step too: past 32 paths (Spark's default) each
    listing is a Spark job: declaring a 2.2M-row brand's 26 raw tables of 60 days took 54-125 s
    against 17 s, counting their rows 98-146 s against 74 s (pyspark, 2 cores, load average 18). -#}
{% macro declare_parquet_sources(folder, tables=none, partitioned={}) -%}
    {%- set schemas = [] -%}
    {%- do run_query('set spark.sql.hive.manageFilesourcePartitions=false') -%}
    {%- do run_query('set spark.sql.sources.parallelPartitionDiscovery.threshold=1000000') -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.schema not in schemas -%}
            {%- do run_query('create schema if not exists ' ~ node.schema) -%}
            {%- do schemas.append(node.schema) -%}
        {%- endif -%}
        {%- set relation = node.schema ~ '.' ~ node.identifier -%}
        {%- set location = folder ~ '/' ~ node.schema ~ '/' ~ node.identifier -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- if relation in partitioned and (tables is none or relation in tables) -%}
            {%- do run_query(
                'create table ' ~ relation ~ ' (' ~ partitioned[relation] ~ ') using parquet'
                ~ ' partitioned by (_business_date) location ' ~ spark_string(location)
            ) -%}
        {%- elif tables is none or relation in tables -%}
            {%- do run_query(
                'create table ' ~ relation ~ ' using parquet location ' ~ spark_string(location)
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do run_query('reset spark.sql.hive.manageFilesourcePartitions') -%}
    {{ log('declared ' ~ graph.sources | length ~ ' sources over ' ~ folder, info=true) }}
{%- endmacro %}

{#- Spark: every model of `schema` (e.g. staging), or those of it named in `names`, written to
    `<folder>/<model>/` as Parquet, for comparing with DuckDB's tables (tests/engines). -#}
{% macro write_models_parquet(schema, folder, names=none) -%}
    {%- set models = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model'
        and node.schema == schema and (names is none or node.alias in names) -%}
        {%- do models.append(node) -%}
    {%- endfor -%}
    {%- for node in models -%}
        {%- do run_query(
            'insert overwrite directory ' ~ spark_string(folder ~ '/' ~ node.alias)
            ~ ' using parquet select * from ' ~ schema ~ '.' ~ node.alias
        ) -%}
    {%- endfor -%}
    {{ log('wrote ' ~ models | length ~ ' models of ' ~ schema ~ ' to ' ~ folder, info=true) }}
{%- endmacro %}

{#- A Spark SQL string literal (Spark escapes with a backslash). -#}
{% macro spark_string(text) -%}
    '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
