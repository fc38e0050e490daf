{%- set raw = source('wecom', 'contact_event') -%}
{%- set key = {
    'external_userid': 'external_userid', 'userid': 'userid', 'change_type': 'change_type',
    'changed_at': 'create_time',
} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

deduped as (
    -- callbacks are retried by WeCom and can land again in a later day's folder
    select * from source
    {{ dedupe_latest(['external_userid', 'userid', 'change_type', 'create_time']) }}
),

final as (
    select
        external_userid,
        userid,
        change_type,
        create_time as changed_at,
        {{ beijing_date('create_time') }} as changed_date,
        state,
        source as change_source,
        coalesce(source = 'DELETE_BY_TRANSFER', false) as is_deleted_by_transfer,
        fail_reason,
        welcome_code,
        to_user_name as corp_id,
        from_user_name,
        msg_type,
        event,
        _business_date as landed_date,
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
