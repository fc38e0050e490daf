{%- set raw = source('wecom', 'user_behavior') -%}
{%- set key = {'userid': 'userid', 'stat_date': beijing_date('stat_time')} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

deduped as (
    -- one row per employee and Beijing day (stat_time is that day's midnight); a re-pull wins
    select * from source
    {{ dedupe_latest(['userid', beijing_date('stat_time')]) }}
),

final as (
    select
        userid,
        {{ beijing_date('stat_time') }} as stat_date,
        stat_time as stat_at,
        new_apply_cnt,
        new_contact_cnt,
        chat_cnt,
        message_cnt,
        reply_percentage,
        avg_reply_time,
        negative_feedback_cnt,
        _business_date as landed_date,
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
