{#- People who are not customers (spec/marts.md): test accounts (a listed id removes the whole
    person it resolves to), WeCom contacts of other companies (type 2, `wo…`), and the brand's
    employees (an account whose own phone is an employee's phone, or a WeCom contact on which a
    guide noted a colleague's phone: guides who type their own phone into customers' remarks note
    their own, and a colleague's phone noted on a handful of contacts at most is that colleague's
    own WeChat). -#}
with

customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
test_accounts as (select * from {{ ref('stg_org__test_accounts') }}),
aliases as (select * from {{ ref('identity_id_type_aliases') }}),
contacts as (select * from {{ ref('stg_wecom__external_contacts') }}),
contact_mobiles as (select * from {{ ref('stg_wecom__external_contact_mobiles') }}),
-- read three times below: scanned where read, not first copied whole (17 M rows at 1,000,000
-- customers)
pairs as {{ not_materialized() }} (select * from {{ ref('int_identity__pairs') }}),
employees as (select * from {{ ref('stg_org__employees') }}),

listed_test_ids as (
    select
        aliases.id_type,
        test_accounts.id_value
    from test_accounts
    inner join aliases on lower(trim(test_accounts.id_type)) = aliases.alias
),

test_ids as (
    -- a listed id removes everything linked to it, even when the id itself links nothing (a test
    -- phone shared by several test accounts is kept out of linking, yet marks each account it is
    -- on)
    select
        listed_test_ids.id_type,
        listed_test_ids.id_value
    from listed_test_ids
    union
    select
        pairs.left_type,
        pairs.left_value
    from pairs
    inner join listed_test_ids
        on
            pairs.right_type = listed_test_ids.id_type
            and pairs.right_value = listed_test_ids.id_value
    where
        not pairs.is_retired
        -- each join with the pairs here also filters by value alone: DuckDB applies that in the
        -- scan, where the join alone probes every pair (the model 1.3 → 0.8 s at 250,000
        -- customers × 365 days)
        and pairs.right_value in (select test_values.id_value from listed_test_ids as test_values)
    union
    select
        pairs.right_type,
        pairs.right_value
    from pairs
    inner join listed_test_ids
        on pairs.left_type = listed_test_ids.id_type and pairs.left_value = listed_test_ids.id_value
    where
        pairs.right_value is not null
        and not pairs.is_retired
        and pairs.left_value in (select test_values.id_value from listed_test_ids as test_values)
),

other_corp_ids as (
    select distinct contacts.external_userid as id_value
    from contacts
    where contacts.is_other_corp
    union
    select distinct customer_map.id_value
    from customer_map
    where customer_map.id_type = 'external_userid' and customer_map.id_value like 'wo%'
),

noted_phones as (
    select
        contact_mobiles.mobile_hash,
        count(distinct contact_mobiles.external_userid) as contacts
    from contact_mobiles
    group by contact_mobiles.mobile_hash
),

colleague_contacts as (
    -- noted by someone other than the phone's owner(s), on few contacts (not a shared store phone)
    select contact_mobiles.external_userid
    from contact_mobiles
    inner join employees on contact_mobiles.mobile_hash = employees.mobile_hash
    inner join noted_phones on contact_mobiles.mobile_hash = noted_phones.mobile_hash
    where noted_phones.contacts <= {{ var('identity_degree_cap') }}
    group by contact_mobiles.external_userid, contact_mobiles.mobile_hash
    having bool_and(contact_mobiles.userid != employees.userid)
),

staff_accounts as (
    select distinct
        pairs.left_type as id_type,
        pairs.left_value as id_value
    from pairs
    inner join employees on pairs.right_value = employees.mobile_hash
    where
        pairs.right_type = 'phone'
        and pairs.origin != 'wecom/external_contact'
        and not pairs.is_retired
        and pairs.right_value in (select staff_phones.mobile_hash from employees as staff_phones)
    union
    select
        'external_userid',
        colleague_contacts.external_userid
    from colleague_contacts
),

flagged as (
    select
        customer_map.customer_id,
        'test_account' as exclusion
    from customer_map
    inner join test_ids
        on customer_map.id_type = test_ids.id_type and customer_map.id_value = test_ids.id_value
    union all
    select
        customer_map.customer_id,
        'other_corp'
    from customer_map
    inner join other_corp_ids
        on
            customer_map.id_type = 'external_userid'
            and customer_map.id_value = other_corp_ids.id_value
    union all
    select
        customer_map.customer_id,
        'employee'
    from customer_map
    inner join staff_accounts
        on
            customer_map.id_type = staff_accounts.id_type
            and customer_map.id_value = staff_accounts.id_value
),

final as (
    select
        flagged.customer_id,
        {{ sorted_distinct_text('flagged.exclusion', ',') }} as exclusions
    from flagged
    group by flagged.customer_id
)

select * from final
