{%- set raw = source('leads', 'oceanengine') -%}
{%- set key = {'clue_id': 'clue_id'} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
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
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
