{#- A table, not a view: the lines unnested from their parent's JSON are read by several models and
    their tests, and a view unnests every night's whole history again for each (~37 s of a 250,000-
    customer 30-day night went to these four views' not_null tests alone). Incremental by snapshot
    day (incremental_snapshot_lines_config): a night unnests the days it loaded. -#}
{%- set raw = source('wecom', 'external_contact') -%}
{{ incremental_snapshot_lines_config('stg_wecom__external_contacts', 'external_userid') }}
{%- set incremental = is_incremental() %}

-- The phones a guide noted on a contact (备注手机号), one row per list position, so the identity
-- layer can link on them without unnesting arrays itself.
with

{{ touched_keys(raw, {'snapshot_date': '_business_date'}, incremental, landed='snapshot_date') }}

external_contacts as (
    {{ touched_parent_rows(ref('stg_wecom__external_contacts'), 'snapshot_date', incremental) }}
),

kinds as (
    select
        external_contacts.snapshot_date,
        external_contacts.external_userid,
        external_contacts.userid,
        external_contacts.remark_mobile_hashes,
        external_contacts.is_latest_snapshot,
        external_contacts.loaded_at,
        {{ unnest_with_position(
            'external_contacts.remark_mobile_kinds', value='mobile_kind', position='mobile_position'
        ) }}
    from external_contacts
),

flattened as (
    select
        kinds.snapshot_date,
        kinds.external_userid,
        kinds.userid,
        kinds.mobile_position,
        {{ list_element('kinds.remark_mobile_hashes', 'kinds.mobile_position') }} as mobile_hash,
        kinds.mobile_kind,
        kinds.is_latest_snapshot,
        kinds.loaded_at
    from kinds
),

final as (
    select * from flattened
)

select * from final
{{ vanished_keys({'snapshot_date': none}, incremental) }}
