with

changes as (select * from {{ ref('stg_identity__changes') }}),

final as (
    select
        changes.changed_at,
        changes.change_type,
        changes.old_customer_id,
        changes.new_customer_id
    from changes
)

select * from final
