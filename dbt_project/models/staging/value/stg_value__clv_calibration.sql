with

source as (
    select * from {{ source('value', 'clv_calibration') }}
),

final as (
    select * from source
)

select * from final
