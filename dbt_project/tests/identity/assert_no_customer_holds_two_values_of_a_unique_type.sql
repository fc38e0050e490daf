-- sources.md's linking rule: a person holds at most one unionid and, per corp, at most one
-- external_userid, and no link of any kind may put two into one customer. The identity step keeps
-- every type of var identity_unique_types to one value per customer (a phone and a strong link
-- alike).
with

identity_map as (select * from {{ ref('identity_map') }}),

final as (
    select
        identity_map.customer_id,
        identity_map.id_type,
        count(*) as values_held
    from identity_map
    where
        identity_map.customer_id is not null
        and identity_map.id_type in (
            -- 62 characters as written; LT05 measures the quoted list spanning the template
            '{{ var("identity_unique_types") | join("', '") }}'  -- noqa: LT05
        )
    group by identity_map.customer_id, identity_map.id_type
    having count(*) > 1
)

select * from final
