{#- Each guide's task list (导购任务) as of the end of the latest loaded date: whom to contact the
    next day and why (int_guides__due_tasks), with the WeCom external_userid of the guide's active
    friendship — how the guide finds the contact; a customer the guide is not a WeCom friend of is
    not on the list — and display fields that name no one (segment, stage, dates). external_userid
    is a raw platform id: this model stays out of schema marts, so it is never published. -#}
with

due_tasks as (select * from {{ ref('int_guides__due_tasks') }}),
contacts as (select * from {{ ref('int_guides__contacts') }}),
user_assets as (select * from {{ ref('int_customers__user_assets') }}),
rfm_segments as (select * from {{ ref('int_rfm__segments') }}),
reasons as (select * from {{ ref('guide_task_reasons') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

final as (
    select
        bounds.last_date as as_of_date,
        due_tasks.userid,
        contacts.external_userid,
        due_tasks.customer_id,
        due_tasks.reason,
        reasons.reason_cn,
        reasons.priority,
        due_tasks.moment_type,
        due_tasks.due_date,
        user_assets.lifecycle_stage,
        rfm_segments.rfm_segment_cn,
        {{ beijing_date('user_assets.last_order_at') }} as last_purchase_date,
        contacts.friend_since_date
    from due_tasks
    -- the guide's WeCom handle: without an active friendship the guide cannot find them
    inner join contacts
        on due_tasks.userid = contacts.userid and due_tasks.customer_id = contacts.customer_id
    inner join user_assets on due_tasks.customer_id = user_assets.customer_id
    inner join reasons on due_tasks.reason = reasons.reason
    cross join bounds
    left join rfm_segments
        on
            due_tasks.customer_id = rfm_segments.customer_id
            and rfm_segments.as_of_date = bounds.last_date
)

select * from final
