{#- Resolved people who are customers, with their identifier counts. -#}
with

people as (select * from {{ ref('stg_identity__customers') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
exclusions as (select * from {{ ref('int_customers__exclusions') }}),

identifier_counts as (
    select
        customer_map.customer_id,
        count(*) as identifiers_count
    from customer_map
    group by customer_map.customer_id
),

final as (
    select
        people.customer_id,
        people.first_seen_at,
        identifier_counts.identifiers_count
    from people
    inner join identifier_counts on people.customer_id = identifier_counts.customer_id
    left join exclusions on people.customer_id = exclusions.customer_id
    where exclusions.customer_id is null
)

select * from final
