{%- set raw = source('tmall', 'member') -%}
{%- set key = {'snapshot_date': '_business_date', 'member_id': 'member_id'} -%}
{{ incremental_snapshot_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental, landed='snapshot_date') }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['_business_date', 'member_id']) }}
),

final as (
    select
        _business_date as snapshot_date,
        member_id,
        buyer_nick,
        phone_hash,
        phone_kind,
        bound_at,
        {{ beijing_date('bound_at') }} as bound_date,
        _business_date = max(_business_date) over () as is_latest_snapshot,
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
