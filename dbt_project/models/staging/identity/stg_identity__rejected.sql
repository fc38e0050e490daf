with

source as (
    select * from {{ source('identity', 'rejected') }}
),

final as (
    select * from source
)

select * from final
