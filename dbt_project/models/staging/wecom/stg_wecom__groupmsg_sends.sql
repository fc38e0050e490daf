{%- set raw = source('wecom', 'groupmsg_send') -%}
{%- set key = {
    'msgid': 'msgid', 'userid': 'userid', 'external_userid': 'external_userid',
    'chat_id': 'chat_id',
} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

deduped as (
    -- a task's results are pulled again as sends complete: the latest pull has the latest status
    select * from source
    {{ dedupe_latest(['msgid', 'userid', 'external_userid', 'chat_id']) }}
),

final as (
    select
        msgid,
        userid,
        external_userid,
        chat_id,
        chat_id is not null and external_userid is null as is_group_send,
        status,
        status = 1 as is_sent,
        create_time as created_at,
        {{ beijing_date('create_time') }} as created_date,
        send_time as sent_at,
        {{ beijing_date('send_time') }} as sent_date,
        _business_date as landed_date,
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
