{#- Keys that a snapshot showed although the loader quarantined their row: a contact whose add_way
    is a value WeCom added after our contract, a follower with a garbled time, a group with one
    garbled member, a POS member with an impossible registration time. The key was in that day's
    snapshot; nothing else about the row can be trusted. The snapshot models count it as a sighting
    with no state, so one bad row never ends a friendship, a follow or a group membership that a
    clean row would have continued, nor drops a member from the latest member list (sources.md:
    a relation ends when it disappears from the snapshots; this one did not disappear). A row whose
    key cannot be read (a truncated line, a garbled id) cannot be placed, and counts as missing. -#}
with

source as (
    select * from {{ source('loads', 'quarantine') }}
),

read_keys as (
    select
        source.source || '/' || source.entity as origin,
        source.business_date as snapshot_date,
        {{ json_text('source.record', 'external_userid') }} as external_userid,
        {{ json_text('source.record', 'userid') }} as userid,
        {{ json_text('source.record', 'openid') }} as openid,
        {{ json_text('source.record', 'chat_id') }} as chat_id,
        {{ json_text('source.record', 'card_no') }} as card_no
    from source
    where
        source.source || '/' || source.entity in (
            'wecom/external_contact', 'wecom/group_chat', 'oa/user', 'pos/member'
        )
        and source.record is not null
),

final as (
    select distinct
        read_keys.origin,
        read_keys.snapshot_date,
        read_keys.external_userid,
        read_keys.userid,
        read_keys.openid,
        read_keys.chat_id,
        read_keys.card_no
    from read_keys
    where
        (
            read_keys.origin = 'wecom/external_contact'
            and read_keys.external_userid is not null
            and read_keys.userid is not null
        )
        or (read_keys.origin = 'wecom/group_chat' and read_keys.chat_id is not null)
        or (read_keys.origin = 'oa/user' and read_keys.openid is not null)
        or (read_keys.origin = 'pos/member' and read_keys.card_no is not null)
)

select * from final
