with

source as (
    select * from {{ source('org', 'channel_code') }}
),

latest_snapshot as (
    select * from source
    where _business_date = (select max(snapshots._business_date) from source as snapshots)
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
