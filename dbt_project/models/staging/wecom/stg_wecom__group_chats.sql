{%- set raw = source('wecom', 'group_chat') -%}
{%- set key = {'snapshot_date': '_business_date', 'chat_id': 'chat_id'} -%}
{{ incremental_snapshot_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental, landed='snapshot_date') }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['_business_date', 'chat_id']) }}
),

final as (
    select
        _business_date as snapshot_date,
        chat_id,
        group_name,
        owner as owner_userid,
        create_time as created_at,
        {{ beijing_date('create_time') }} as created_date,
        json_array_length(member_list) as member_count,
        member_list as member_list_json,
        _business_date = max(_business_date) over () as is_latest_snapshot,
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
