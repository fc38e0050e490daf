{%- set key = [
    'campaign_id', 'inviter_unionid', 'inviter_external_userid',
    'invitee_unionid', 'invitee_external_userid', 'step',
] -%}

with

source as (
    select * from {{ source('fission', 'invitation') }}
),

deduped as (
    -- campaign tools re-export their history: the same step lands again in later folders
    select * from source
    {{ dedupe_latest(key + ['ts']) }}
),

final as (
    select
        -- hashed on epoch ms: a timestamptz's text depends on the reader's time zone
        {{ surrogate_key(key + ['epoch_ms(ts)']) }} as invitation_id,
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
        _file as landed_file
    from deduped
)

select * from final
