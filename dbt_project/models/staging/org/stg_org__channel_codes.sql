with

source as (
    select * from {{ source('org', 'channel_code') }}
),

latest_snapshot as (
    -- the latest snapshot; a row quarantined there keeps its key's latest loaded row
    select * from source
    where {{ in_latest_snapshot('source', 'code', 'org/channel_code') }}
    {{ dedupe_latest(['code']) }}
),

final as (
    select
        code,
        channel,
        campaign_id,
        campaign_name,
        description,
        _business_date as snapshot_date,
        _file as landed_file
    from latest_snapshot
)

select * from final
