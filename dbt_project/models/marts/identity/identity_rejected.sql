with

nodes as (select * from {{ ref('int_identity__nodes') }}),
rejected as (select * from {{ ref('stg_identity__rejected') }}),

final as (
    select nodes.id_type, nodes.id_value, nodes.block_reason as reason, nodes.records
    from nodes
    where not nodes.is_linkable
    union all
    select rejected.id_type, rejected.id_value, rejected.reason, rejected.records
    from rejected
)

select * from final
