{#- A customer's exclusive guide (专属导购): the guide of their latest-registered POS membership in the
    latest member snapshot (int_customers__current_pos_members), while that guide is an active
    employee. care_calendar falls back on it when the customer has no primary guide. -#}
with

pos_members as (select * from {{ ref('int_customers__current_pos_members') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
employees as (select * from {{ ref('stg_org__employees') }}),

final as (
    select
        customer_map.customer_id,
        pos_members.guide_userid
    from pos_members
    inner join customer_map
        on customer_map.id_type = 'pos_card_no' and pos_members.card_no = customer_map.id_value
    inner join employees on pos_members.guide_userid = employees.userid and employees.is_active
    qualify row_number() over (
        partition by customer_map.customer_id
        order by pos_members.registered_at desc nulls last, pos_members.card_no asc
    ) = 1
)

select * from final
