{%- set raw = source('wecom', 'message') -%}
{%- set key = {'msgid': 'msgid'} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['msgid']) }}
),

final as (
    select
        msgid,
        action,
        msgtype,
        from_id,
        {{ json_list('tolist', 'VARCHAR') }} as to_ids,
        -- the chat archive writes an empty roomid for one-to-one chats
        nullif(roomid, '') as roomid,
        coalesce(roomid, '') <> '' as is_group_message,
        msgtime as sent_at,
        {{ beijing_date('msgtime') }} as sent_date,
        _business_date as landed_date,
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
    -- a `switch` record (an employee switched corp on the device) is no message: loaded, not
    -- counted
    where action <> 'switch'
)

select * from final
{{ vanished_keys(key, incremental) }}
