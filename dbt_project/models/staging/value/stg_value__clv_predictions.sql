with

source as (
    select * from {{ source('value', 'clv_predictions') }}
),

final as (
    select * from source
)

select * from final
