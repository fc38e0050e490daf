{#- The three WeCom rates per Beijing month × userid × channel. Lead rows (userid null) carry the 引流
    columns and friendship rows the 服务/变现 columns; the other side's counts are 0 and its rates null
    (no denominator). window_complete: every member of the row has had all the row's windows by the
    end of the latest loaded date (leads: 7 days; friendships: 14 and 30 days, so the 30-day one
    decides). -#}
with

lead_outcomes as (select * from {{ ref('int_performance__lead_outcomes') }}),
friendship_outcomes as (select * from {{ ref('int_performance__friendship_outcomes') }}),

lead_rows as (
    select
        lead_outcomes.lead_month as month,
        {{ as_text('null') }} as userid,
        lead_outcomes.channel,
        count(*) as leads,
        count(*) filter (where lead_outcomes.is_befriended) as leads_befriended,
        0 as new_friendships,
        0 as served_friendships,
        0 as monetized_friendships,
        bool_and(lead_outcomes.is_window_complete) as window_complete
    from lead_outcomes
    group by lead_outcomes.lead_month, lead_outcomes.channel
),

friendship_rows as (
    select
        friendship_outcomes.start_month as month,
        friendship_outcomes.userid,
        friendship_outcomes.channel,
        0 as leads,
        0 as leads_befriended,
        count(*) as new_friendships,
        count(*) filter (where friendship_outcomes.is_served) as served_friendships,
        count(*) filter (where friendship_outcomes.is_monetized) as monetized_friendships,
        bool_and(
            friendship_outcomes.is_service_window_complete
            and friendship_outcomes.is_monetization_window_complete
        ) as window_complete
    from friendship_outcomes
    group by
        friendship_outcomes.start_month, friendship_outcomes.userid, friendship_outcomes.channel
),

all_rows as (
    select * from lead_rows
    union all
    select * from friendship_rows
),

final as (
    select
        cast(all_rows.month as date) as month,
        {{ as_text('all_rows.userid') }} as userid,
        {{ as_text('all_rows.channel') }} as channel,
        cast(all_rows.leads as bigint) as leads,
        cast(all_rows.leads_befriended as bigint) as leads_befriended,
        cast(all_rows.leads_befriended as double)
        / nullif(all_rows.leads, 0) as lead_to_friend_rate,
        cast(all_rows.new_friendships as bigint) as new_friendships,
        cast(all_rows.served_friendships as bigint) as served_friendships,
        cast(all_rows.served_friendships as double)
        / nullif(all_rows.new_friendships, 0) as service_rate,
        cast(all_rows.monetized_friendships as bigint) as monetized_friendships,
        cast(all_rows.monetized_friendships as double) / nullif(all_rows.new_friendships, 0)
            as monetization_rate,
        cast(all_rows.window_complete as boolean) as window_complete
    from all_rows
)

select * from final
