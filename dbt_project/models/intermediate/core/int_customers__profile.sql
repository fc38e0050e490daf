{#- Per-customer attributes from identifiers: mini program use, a real phone, home store. -#}
with

customers as (select * from {{ ref('int_customers') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
pairs as (select * from {{ ref('int_identity__pairs') }}),
employees as (select * from {{ ref('stg_org__employees') }}),
pos_members as (select * from {{ ref('int_customers__current_pos_members') }}),
purchases as (select * from {{ ref('int_purchases') }}),
reach as (select * from {{ ref('int_customers__reach_state') }}),
friendships as (select * from {{ ref('int_guides__customer_friendships') }}),

phone_accounts as (
    -- the identifiers that gave a real (unmasked, non-placeholder) phone, even one kept out of
    -- linking; an employee's own phone typed into a customer's remark is not the customer's.
    -- Distinct before the customer map is joined (one row per identifier, not per record)
    select distinct
        pairs.left_type,
        pairs.left_value
    from pairs
    where
        pairs.phone_kind = 'valid'
        and not pairs.is_retired
        and coalesce(pairs.right_value, pairs.left_value) not in (
            select employees.mobile_hash from employees
            where employees.mobile_hash is not null
        )
),

real_phones as (
    select distinct customer_map.customer_id
    from phone_accounts
    inner join customer_map
        on
            phone_accounts.left_type = customer_map.id_type
            and phone_accounts.left_value = customer_map.id_value
),

member_store as (
    select
        customer_map.customer_id,
        pos_members.registered_store_code as store_code
    from pos_members
    inner join customer_map
        on customer_map.id_type = 'pos_card_no' and customer_map.id_value = pos_members.card_no
    qualify
        row_number()
            over (
                partition by customer_map.customer_id
                order by pos_members.registered_at, pos_members.card_no
            )
        = 1
),

purchase_stores as (
    select
        purchases.customer_id,
        purchases.store_code,
        count(*) as purchases_count,
        max(purchases.purchase_at) as last_purchase_at
    from purchases
    where purchases.store_code is not null
    group by purchases.customer_id, purchases.store_code
),

purchase_store as (
    -- the store of most purchases, the latest on a tie (Spark's qualify sees no aggregate), then
    -- the first store code: two stores can share both (20 customers of the 1,000,000-customer
    -- simulation), and the row DuckDB's threads met first won
    select
        purchase_stores.customer_id,
        purchase_stores.store_code
    from purchase_stores
    qualify
        row_number()
            over (
                partition by purchase_stores.customer_id
                order by
                    purchase_stores.purchases_count desc,
                    purchase_stores.last_purchase_at desc,
                    purchase_stores.store_code asc
            )
        = 1
),

guide_store as (
    -- the primary guide's store, else the store of the guide of the customer's latest friendship
    select
        friendships.customer_id,
        employees.store_code
    from friendships
    inner join employees on friendships.userid = employees.userid
    left join reach on friendships.customer_id = reach.customer_id
    qualify row_number() over (
        partition by friendships.customer_id
        order by
            (friendships.userid = reach.primary_guide_userid) desc nulls last,
            friendships.started_at desc,
            friendships.userid asc
    ) = 1
),

final as (
    select
        customers.customer_id,
        exists(
            select 1 from customer_map
            where
                customer_map.customer_id = customers.customer_id
                and customer_map.id_type = 'mp_openid'
        ) as is_mp_user,
        real_phones.customer_id is not null as has_phone,
        coalesce(member_store.store_code, guide_store.store_code, purchase_store.store_code)
            as home_store_code
    from customers
    left join real_phones on customers.customer_id = real_phones.customer_id
    left join member_store on customers.customer_id = member_store.customer_id
    left join guide_store on customers.customer_id = guide_store.customer_id
    left join purchase_store on customers.customer_id = purchase_store.customer_id
)

select * from final
