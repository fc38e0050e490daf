with

source as (
    select * from {{ source('wecom', 'group_chat') }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['_business_date', 'chat_id']) }}
),

final as (
    select
        _business_date as snapshot_date,
        chat_id,
        group_name,
        owner as owner_userid,
        create_time as created_at,
        {{ beijing_date('create_time') }} as created_date,
        json_array_length(member_list) as member_count,
        member_list as member_list_json,
        _business_date = max(_business_date) over () as is_latest_snapshot,
        _file as landed_file
    from deduped
)

select * from final
