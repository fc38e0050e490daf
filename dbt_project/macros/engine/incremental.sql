{#- The config of a staging model over a raw table that grows every night
    (macros/incremental_staging.sql). On DuckDB: incremental, delete+insert of the keys the
    night's loads touched (macros/delete_insert.sql). On Spark, for now, a table rebuilt from all
    of raw: the same rows (a full build is what the incremental one is tested equal to), without
    the night-by-night saving; delete+insert on Spark needs Delta or Iceberg tables
    (docs/engines.md). -#}
{% macro incremental_staging_config(key) -%}
    {{ return(adapter.dispatch('incremental_staging_config')(key)) }}
{%- endmacro %}

{#- DuckDB: incremental, delete+insert of the keys in tonight's rows (macros/delete_insert.sql),
    a model whose columns change failing rather than drifting; the three configs below differ only
    in their key and post-hooks. -#}
{% macro delete_insert_config(unique_key, post_hook) -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=unique_key,
        on_schema_change='fail',
        post_hook=post_hook,
    ) }}
{%- endmacro %}

{% macro duckdb__incremental_staging_config(key) -%}
    {{ delete_insert_config(
        key.keys() | list, 'delete from {{ this }} where landed_file is null'
    ) }}
{%- endmacro %}

{% macro spark__incremental_staging_config(key) -%}
    {{ config(materialized='table') }}
{%- endmacro %}


{#- The config of a snapshot staging model over raw (one row per snapshot day and key), incremental
    as the event models are. Only is_latest_snapshot depends on other days — a night's rows flag
    their own latest day — so on DuckDB a second post-hook sets it again over the whole table,
    rewriting only the rows whose flag changes (the previous latest day's and the new one's). On
    Spark, a table rebuilt from all of raw, as above. -#}
{% macro incremental_snapshot_config(key) -%}
    {{ return(adapter.dispatch('incremental_snapshot_config')(key)) }}
{%- endmacro %}

{% macro duckdb__incremental_snapshot_config(key) -%}
    {{ delete_insert_config(key.keys() | list, [
        'delete from {{ this }} where landed_file is null',
        'update {{ this }}
         set is_latest_snapshot = snapshot_date = (select max(snapshot_date) from {{ this }})
         where is_latest_snapshot is distinct from
             (snapshot_date = (select max(snapshot_date) from {{ this }}))',
    ]) }}
{%- endmacro %}

{% macro spark__incremental_snapshot_config(key) -%}
    {{ config(materialized='table') }}
{%- endmacro %}

{#- The config of a staging model of lines unnested from an incremental parent
    (macros/incremental_staging.sql, touched_parent_rows): delete+insert by the parent's key; a
    tombstone (the key and nulls: `tombstone` is a column never null otherwise) deletes the lines of
    a parent that lost them. On Spark, a table rebuilt from all of its parent, as above. -#}
{% macro incremental_lines_config(key, tombstone) -%}
    {{ return(adapter.dispatch('incremental_lines_config')(key, tombstone)) }}
{%- endmacro %}

{% macro duckdb__incremental_lines_config(key, tombstone) -%}
    {{ delete_insert_config([key], 'delete from {{ this }} where ' ~ tombstone ~ ' is null') }}
{%- endmacro %}

{% macro spark__incremental_lines_config(key, tombstone) -%}
    {{ config(materialized='table') }}
{%- endmacro %}

{#- The config of a staging model of lines unnested from a snapshot staging model (a contact's
    remark phones, a group's members): delete+insert of the snapshot days the parent's raw table
    landed tonight (touched_keys keyed by the snapshot date, touched_parent_rows); a day left with
    no line at all leaves a tombstone (`tombstone` null) that deletes its old lines. The latest
    snapshot is the parent's (a latest day with no lines flags none, as a full build copying the
    parent's flag does). On Spark, a table rebuilt from all of its parent, as above. -#}
{% macro incremental_snapshot_lines_config(parent, tombstone) -%}
    {{ return(adapter.dispatch('incremental_snapshot_lines_config')(parent, tombstone)) }}
{%- endmacro %}

{% macro duckdb__incremental_snapshot_lines_config(parent, tombstone) -%}
    {%- set parent_relation = "{{ ref('" ~ parent ~ "') }}" -%}
    {%- set latest = '(snapshot_date = (select max(snapshot_date) from '
        ~ parent_relation ~ '))' -%}
    {{ delete_insert_config(['snapshot_date'], [
        'delete from {{ this }} where ' ~ tombstone ~ ' is null',
        'update {{ this }} set is_latest_snapshot = ' ~ latest
        ~ ' where is_latest_snapshot is distinct from ' ~ latest,
    ]) }}
{%- endmacro %}

{% macro spark__incremental_snapshot_lines_config(parent, tombstone) -%}
    {{ config(materialized='table') }}
{%- endmacro %}

{#- The config of an intermediate model kept by key: int_identity__pairs by source record,
    int_identity__nodes by identifier, int_funnel__customer_steps by customer. delete+insert by
    `key` (its columns); a key left with no row leaves a tombstone (`tombstone` null, a column never
    null otherwise) that deletes its old rows; `after`, statements run after it (post-hooks).
    On Spark, a table rebuilt from all of its inputs, as above. -#}
{% macro incremental_intermediate_config(key, tombstone, after=[]) -%}
    {{ return(adapter.dispatch('incremental_intermediate_config')(key, tombstone, after)) }}
{%- endmacro %}

{% macro duckdb__incremental_intermediate_config(key, tombstone, after) -%}
    {%- set tombstones = 'delete from {{ this }} where ' ~ tombstone ~ ' is null' %}
    {{ delete_insert_config(key, [tombstones] + after) }}
{%- endmacro %}

{% macro spark__incremental_intermediate_config(key, tombstone, after) -%}
    {{ config(materialized='table') }}
{%- endmacro %}
