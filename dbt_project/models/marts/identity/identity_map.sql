with

nodes as (select * from {{ ref('int_identity__nodes') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
customers as (select * from {{ ref('int_customers') }}),
exclusions as (select * from {{ ref('int_customers__exclusions') }}),
rejected as (select * from {{ ref('stg_identity__rejected') }}),

final as (
    select
        nodes.id_type,
        nodes.id_value,
        customers.customer_id,
        case
            when nodes.block_reason is not null then 'blocked'
            when rejected.reason is not null then 'rejected'
            when exclusions.customer_id is not null then 'not_a_customer'
            else 'linked'
        end as link_status,
        coalesce(nodes.block_reason, rejected.reason, exclusions.exclusions) as status_reason,
        nodes.first_seen_at,
        nodes.records
    from nodes
    left join customer_map
        on nodes.id_type = customer_map.id_type and nodes.id_value = customer_map.id_value
    left join customers on customer_map.customer_id = customers.customer_id
    left join exclusions on customer_map.customer_id = exclusions.customer_id
    left join rejected on nodes.id_type = rejected.id_type and nodes.id_value = rejected.id_value
)

select * from final
