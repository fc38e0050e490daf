{%- set raw = source('youzan', 'refund') -%}
{%- set key = {'refund_id': 'refund_id'} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

latest_version as (
    select * from source
    {{ dedupe_latest(['refund_id'], ['modified']) }}
),

final as (
    select
        refund_id,
        tid,
        oid,
        status,
        status = 'SUCCESS' as is_successful,
        refund_fee as refund_amount,
        created as created_at,
        {{ beijing_date('created') }} as created_date,
        modified as modified_at,
        {{ beijing_date('modified') }} as modified_date,
        _business_date as landed_date,
        _file as landed_file,
        _loaded_at as loaded_at
    from latest_version
)

select * from final
{{ vanished_keys(key, incremental) }}
