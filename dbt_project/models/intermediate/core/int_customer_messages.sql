{#- Messages customers sent to an employee (one-to-one chat-archive sends), by customer and day.
    One row per message and employee it names (a tolist naming one twice counts once): msgid is
    unique, as are an employee's userid and an identifier's customer, so no row repeats. -#}
with

messages as (select * from {{ ref('stg_wecom__messages') }}),
employees as (select * from {{ ref('stg_org__employees') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
customers as (select * from {{ ref('int_customers') }}),

recipients as (
    select
        messages.msgid,
        messages.from_id,
        messages.sent_at,
        {{ unnest_list(list_distinct('messages.to_ids')) }} as userid
    from messages
    where messages.action = 'send' and not messages.is_group_message
),

to_employee as (
    select
        recipients.msgid,
        recipients.from_id,
        recipients.sent_at,
        recipients.userid
    from recipients
    inner join employees on recipients.userid = employees.userid
),

final as (
    select
        customers.customer_id,
        to_employee.userid,
        to_employee.msgid,
        to_employee.sent_at,
        {{ beijing_date('to_employee.sent_at') }} as sent_date
    from to_employee
    inner join customer_map
        on customer_map.id_type = 'external_userid' and customer_map.id_value = to_employee.from_id
    inner join customers on customer_map.customer_id = customers.customer_id
)

select * from final
