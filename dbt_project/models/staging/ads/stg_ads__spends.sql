{%- set raw = source('ads', 'spend') -%}
{%- set key = {
    'spend_date': 'date', 'platform': 'platform', 'account_id': 'account_id',
    'campaign_id': 'campaign_id',
} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
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
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
