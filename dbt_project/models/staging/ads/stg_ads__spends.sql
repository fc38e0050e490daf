with

source as (
    select * from {{ source('ads', 'spend') }}
),

deduped as (
    -- a day re-exported in a later folder (corrected cost) replaces the earlier figure
    select * from source
    {{ dedupe_latest(['date', 'platform', 'account_id', 'campaign_id']) }}
),

final as (
    select
        date as spend_date,
        platform,
        account_id,
        campaign_id,
        campaign_name,
        impressions,
        clicks,
        cost as cost_amount,
        _business_date as landed_date,
        _file as landed_file
    from deduped
)

select * from final
