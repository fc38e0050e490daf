with

source as (
    select * from {{ source('youzan', 'refund') }}
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
        _file as landed_file
    from latest_version
)

select * from final
