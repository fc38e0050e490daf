{%- set key = [
    'campaign_id', 'inviter_unionid', 'inviter_external_userid',
    'invitee_unionid', 'invitee_external_userid', 'step',
] -%}
{%- set raw = source('fission', 'invitation') -%}
{%- set incremental_key = {'step_at': 'ts'} -%}
{%- for column in key %}{% do incremental_key.update({column: column}) %}{% endfor -%}
{{ incremental_staging_config(incremental_key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, incremental_key, incremental) }}

source as (
    {{ touched_rows(raw, incremental_key, incremental) }}
),

deduped as (
    -- campaign tools re-export their history: the same step lands again in later folders
    select * from source
    {{ dedupe_latest(key + ['ts']) }}
),

final as (
    select
        -- hashed on epoch ms: a timestamptz's text depends on the reader's time zone
        {{ surrogate_key(key + [to_epoch_ms('ts')]) }} as invitation_id,
        campaign_id,
        inviter_unionid,
        inviter_external_userid,
        invitee_unionid,
        invitee_external_userid,
        step,
        ts as step_at,
        {{ beijing_date('ts') }} as step_date,
        reward,
        _business_date as landed_date,
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(incremental_key, incremental) }}
