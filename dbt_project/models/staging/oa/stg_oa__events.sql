{%- set raw = source('oa', 'event') -%}
{%- set key = {'openid': 'openid', 'event_at': 'create_time', 'event': 'event'} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['openid', 'create_time', 'event']) }}
),

final as (
    select
        openid,
        event,
        event_key,
        -- a parametric QR: a non-follower's subscribe carries `qrscene_<scene>`, a follower's SCAN
        -- the scene
        case
            when event = 'subscribe' and left(event_key, 8) = 'qrscene_'
                then substr(event_key, 9)
            when event = 'SCAN' then event_key
        end as qr_scene_str,
        create_time as event_at,
        {{ beijing_date('create_time') }} as event_date,
        to_user_name as oa_account_id,
        msg_type,
        _business_date as landed_date,
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
