with

source as (
    select * from {{ source('leads', 'oceanengine') }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['clue_id']) }}
),

final as (
    select
        clue_id,
        created_at,
        {{ beijing_date('created_at') }} as created_date,
        telephone_hash,
        telephone_kind,
        clue_source,
        clue_type,
        clue_state,
        advertiser_id,
        promotion_id,
        promotion_name,
        external_action,
        _business_date as landed_date,
        _file as landed_file
    from deduped
)

select * from final
