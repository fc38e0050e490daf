with

source as (
    select * from {{ source('mp', 'event') }}
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
        _file as landed_file
    from deduped
)

select * from final
