with

source as (
    select * from {{ source('identity', 'customer_map') }}
),

final as (
    select * from source
)

select * from final
