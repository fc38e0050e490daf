with

friendship_book as (select * from {{ ref('int_guides__daily_friendships') }}),
asset_counts as (select * from {{ ref('int_guides__daily_asset_counts') }}),
behaviors as (select * from {{ ref('stg_wecom__user_behaviors') }}),
guide_stores as (select * from {{ ref('int_guides__stores') }}),

final as (
    select
        friendship_book.userid,
        guide_stores.store_code,
        friendship_book.business_date,
        friendship_book.opening_customers,
        friendship_book.added_customers,
        friendship_book.lost_by_customer,
        friendship_book.lost_by_guide,
        friendship_book.transferred_in,
        friendship_book.transferred_out,
        friendship_book.closing_customers,
        asset_counts.customer_asset_count,
        behaviors.new_apply_cnt,
        behaviors.new_contact_cnt,
        behaviors.chat_cnt,
        behaviors.message_cnt,
        behaviors.reply_percentage,
        behaviors.avg_reply_time,
        behaviors.negative_feedback_cnt
    from friendship_book
    inner join asset_counts
        on
            friendship_book.userid = asset_counts.userid
            and friendship_book.business_date = asset_counts.business_date
    left join behaviors
        on
            friendship_book.userid = behaviors.userid
            and friendship_book.business_date = behaviors.stat_date
    left join guide_stores on friendship_book.userid = guide_stores.userid
)

select * from final
