with

source as (
    select * from {{ source('identity', 'changes') }}
),

final as (
    select * from source
)

select * from final
