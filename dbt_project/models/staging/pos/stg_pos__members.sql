{%- set raw = source('pos', 'member') -%}
{%- set key = {'snapshot_date': '_business_date', 'card_no': 'card_no'} -%}
{{ incremental_snapshot_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental, landed='snapshot_date') }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['_business_date', 'card_no']) }}
),

final as (
    select
        _business_date as snapshot_date,
        card_no,
        phone_hash,
        phone_kind,
        birthday as birthday_month_day,
        store_code as registered_store_code,
        registered_at,
        {{ beijing_date('registered_at') }} as registered_date,
        guide_userid,
        _business_date = max(_business_date) over () as is_latest_snapshot,
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
