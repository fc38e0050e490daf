{#- Staging models over raw tables that grow every night are incremental: a night recomputes only
    the keys its loads touched, and the table equals a full rebuild (tests/e2e/test_incremental_nights.py
    compares every model and mart with one after each night of a replay).

    `key` maps the model's key columns to the raw expressions they are computed from (the values
    must pass through unchanged: their hashes are compared). A key is touched when a day folder
    holding one of its versions was loaded since the model last took rows from its raw table —
    the folder's new rows name it, or the model's row for it came from that folder (a re-delivered
    folder may have lost it). Every version of a touched key is read again, so `dedupe_latest`
    picks the same winner as over all of raw. A touched key with no row left (its only folder
    re-delivered without it, or its latest version filtered out) leaves a tombstone — the key and
    nulls — that delete+insert uses to delete the old row; the post-hook then drops the tombstone.

    Loads are found by `loaded_at` (raw._loaded_at of the row's version): the latest one in the
    model is its watermark. The load log names days whose new files hold no row at all.

    Snapshot staging (one row per snapshot day and key) is incremental the same way, its key
    starting with the snapshot date: a night recomputes the days it loaded.

    The models' config: incremental_staging_config and incremental_snapshot_config
    (macros/engine/incremental.sql). -#}

{% macro landed_since_last_build(raw) -%}
    {%- set source_name = raw.identifier.split('__')[0] -%}
    {%- set entity = raw.identifier.split('__')[-1] -%}
    {%- set watermark -%}
        (select coalesce(max(loaded_at), '-infinity'::timestamptz) from {{ this }})
    {%- endset -%}
    select _business_date from {{ raw }} where _loaded_at > {{ watermark }}
    union
    select business_date from {{ source('loads', 'load_log') }}
    where source = '{{ source_name }}' and entity = '{{ entity }}' and loaded_at > {{ watermark }}
{%- endmacro %}

{#- The CTE `touched` (key columns, as the model names them), with its trailing comma; nothing on
    a full build. `landed`: the model's column holding the landing date (a snapshot's snapshot_date). -#}
{% macro touched_keys(raw, key, incremental, landed='landed_date') -%}
    {%- if incremental %}
touched as (
    select
    {%- for column, expression in key.items() %}
        {{ expression }} as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ raw }}
    where _business_date in ({{ landed_since_last_build(raw) }})
    union
    select {{ key.keys() | join(', ') }}
    from {{ this }}
    where {{ landed }} in ({{ landed_since_last_build(raw) }})
),
    {%- endif %}
{%- endmacro %}

{#- The raw rows to dedupe: every version of the touched keys, or all of raw on a full build. -#}
{% macro touched_rows(raw, key, incremental) -%}
    select * from {{ raw }}
    {%- if incremental %}
    where hash({{ key.values() | join(', ') }}) in (
        select hash({{ key.keys() | join(', ') }}) from touched
    )
    {%- endif %}
{%- endmacro %}

{#- After the model's last `select`: a tombstone per touched key that `final` no longer holds. -#}
{% macro vanished_keys(key, incremental, final='final') -%}
    {%- if incremental %}
union all by name
select {{ key.keys() | join(', ') }}
from touched
where not exists (
    select 1 from {{ final }}
    where
    {%- for column in key.keys() %}
        {{ final }}.{{ column }} is not distinct from touched.{{ column }}{{ ' and' if not loop.last }}
    {%- endfor %}
)
    {%- endif %}
{%- endmacro %}

{#- Staging models that unnest lines from an incremental parent (order lines from their order's
    JSON) are incremental by the parent's key, found the parent's way: `touched_keys` over the
    parent's raw table, with the lines' landed_date and loaded_at (their order's kept version's) —
    so an order whose kept version changed, even back to an older one a re-delivery left, has its
    lines unnested again, and one that left has them deleted (vanished_keys). The parent rows whose
    lines are computed: those touched keys, or all on a full build. -#}
{% macro touched_parent_rows(parent, key, incremental) -%}
    select * from {{ parent }}
    {%- if incremental %}
    where {{ key }} in (select touched.{{ key }} from touched)
    {%- endif %}
{%- endmacro %}
