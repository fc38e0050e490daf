{%- set raw = source('wecom', 'external_contact') -%}
{%- set key = {
    'snapshot_date': '_business_date', 'external_userid': 'external_userid', 'userid': 'userid'
} -%}
{{ incremental_snapshot_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental, landed='snapshot_date') }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

deduped as (
    -- one row per snapshot day and relationship, even when a day's files overlap
    select * from source
    {{ dedupe_latest(['_business_date', 'external_userid', 'userid']) }}
),

final as (
    select
        _business_date as snapshot_date,
        external_userid,
        userid,
        unionid,
        contact_type,
        contact_type = 2 as is_other_corp,
        corp_name,
        gender,
        createtime as added_at,
        {{ beijing_date('createtime') }} as added_date,
        add_way,
        oper_userid,
        state,
        {{ json_list('tag_ids', 'VARCHAR') }} as tag_ids,
        remark_mobiles_hashes as remark_mobile_hashes,
        remark_mobiles_kinds as remark_mobile_kinds,
        _business_date = max(_business_date) over () as is_latest_snapshot,
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
