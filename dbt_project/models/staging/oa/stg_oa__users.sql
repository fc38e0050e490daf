with

source as (
    select * from {{ source('oa', 'user') }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['_business_date', 'openid']) }}
),

final as (
    select
        _business_date as snapshot_date,
        openid,
        unionid,
        subscribe = 1 as is_subscribed,
        subscribe_time as subscribed_at,
        {{ beijing_date('subscribe_time') }} as subscribed_date,
        subscribe_scene,
        qr_scene,
        qr_scene_str,
        from_json(tagid_list, '["BIGINT"]') as tag_ids,
        language,
        _business_date = max(_business_date) over () as is_latest_snapshot,
        _file as landed_file
    from deduped
)

select * from final
