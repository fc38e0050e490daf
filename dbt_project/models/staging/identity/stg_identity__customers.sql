with

source as (
    select * from {{ source('identity', 'customers') }}
),

final as (
    select * from source
)

select * from final
