{%- set raw = source('mp', 'event') -%}
{%- set key = {'event_id': 'event_id'} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['event_id']) }}
),

final as (
    select
        event_id,
        openid,
        event,
        page_path,
        scene,
        share_from_openid,
        utm_source,
        utm_medium,
        utm_campaign,
        ts as event_at,
        {{ beijing_date('ts') }} as event_date,
        _business_date as landed_date,
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
