{#- Each guide's active WeCom friendships at the end of the latest loaded date, with the
    external_userid the guide finds the contact by: one handle per guide and customer. -#}
with

friendships as (select * from {{ ref('int_guides__customer_friendships') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

final as (
    select
        friendships.friendship_id,
        friendships.userid,
        friendships.customer_id,
        friendships.external_userid,
        {{ beijing_date('friendships.started_at') }} as friend_since_date
    from friendships
    cross join bounds
    where friendships.ended_at is null or friendships.ended_at > bounds.loaded_until_at
    -- a customer holds one external_userid (identity_unique_types) and a pair one friendship at a
    -- time (assert_friendships_do_not_overlap): this only guards the grain
    qualify row_number() over (
        partition by friendships.userid, friendships.customer_id
        order by friendships.started_at desc, friendships.friendship_id asc
    ) = 1
)

select * from final
