with

clv_calibration as (select * from {{ ref('stg_value__clv_calibration') }}),

final as (
    select
        clv_calibration.as_of_date,
        clv_calibration.calibration_end_date,
        clv_calibration.holdout_days,
        clv_calibration.customers,
        clv_calibration.predicted_purchases,
        clv_calibration.actual_purchases,
        clv_calibration.purchases_ratio,
        clv_calibration.mae_purchases,
        clv_calibration.rmse_purchases,
        clv_calibration.predicted_value,
        clv_calibration.actual_value,
        clv_calibration.value_ratio,
        clv_calibration.status,
        clv_calibration.model_name,
        clv_calibration.model_version
    from clv_calibration
)

select * from final
