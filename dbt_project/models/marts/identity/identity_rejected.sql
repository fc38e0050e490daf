{#- Identifiers kept out of the customers: blocked by the rules, rejected by the identity graph,
    and the test accounts listed in org/test_account (marts.md: "over-shared, blocklisted, test").
    A listed id still links — so the whole person it resolves to is removed, with everything linked
    to it — but no customer ever holds it. One row per identifier seen; a listed id that is also
    blocked or rejected keeps that reason. -#}
with

nodes as (select * from {{ ref('int_identity__nodes') }}),
rejected as (select * from {{ ref('stg_identity__rejected') }}),
test_accounts as (select * from {{ ref('stg_org__test_accounts') }}),
aliases as (select * from {{ ref('identity_id_type_aliases') }}),

kept_out as (
    select
        nodes.id_type,
        nodes.id_value,
        nodes.block_reason as reason,
        nodes.records
    from nodes
    where not nodes.is_linkable
    union all
    select
        rejected.id_type,
        rejected.id_value,
        rejected.reason,
        rejected.records
    from rejected
),

listed_test_ids as (
    select distinct
        aliases.id_type,
        test_accounts.id_value
    from test_accounts
    inner join aliases on lower(trim(test_accounts.id_type)) = aliases.alias
),

test_identifiers as (
    select
        nodes.id_type,
        nodes.id_value,
        'test_account' as reason,
        nodes.records
    from nodes
    inner join listed_test_ids
        on nodes.id_type = listed_test_ids.id_type and nodes.id_value = listed_test_ids.id_value
    where not exists (
        select 1 from kept_out
        where nodes.id_type = kept_out.id_type and nodes.id_value = kept_out.id_value
    )
),

final as (
    select * from kept_out
    union all
    select * from test_identifiers
)

select * from final
