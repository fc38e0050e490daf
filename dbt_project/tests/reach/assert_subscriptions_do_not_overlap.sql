{#- An openid follows the Official Account at most once at a time, and no period ends before it
    starts. Fails with the offending period. -#}
with

subscriptions as (select * from {{ ref('int_oa__subscriptions') }}),

sequenced as (
    select
        subscriptions.*,
        lag(subscriptions.subscription_id) over openid_order as previous_subscription_id,
        lag(subscriptions.unsubscribed_at) over openid_order as previous_unsubscribed_at
    from subscriptions
    window openid_order as (partition by subscriptions.openid order by subscriptions.subscribed_at)
),

final as (
    select * from sequenced
    where
        unsubscribed_at < subscribed_at
        or (
            previous_subscription_id is not null
            and (
                previous_unsubscribed_at is null
                or previous_unsubscribed_at > subscribed_at
            )
        )
)

select * from final
