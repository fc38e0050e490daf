{%- set raw = source('mp', 'user') -%}
{%- set key = {'snapshot_date': '_business_date', 'openid': 'openid'} -%}
{{ incremental_snapshot_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental, landed='snapshot_date') }}

source as (
    {{ touched_rows(raw, key, incremental) }}
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
        phone_number_hash,
        phone_number_kind,
        country_code,
        created_at,
        {{ beijing_date('created_at') }} as created_date,
        _business_date = max(_business_date) over () as is_latest_snapshot,
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
