with

clv_predictions as (select * from {{ ref('stg_value__clv_predictions') }}),

final as (
    select
        clv_predictions.customer_id,
        clv_predictions.as_of_date,
        clv_predictions.frequency,
        clv_predictions.recency_days,
        clv_predictions.t_days,
        clv_predictions.avg_monetary_value,
        clv_predictions.expected_spend_per_purchase,
        clv_predictions.expected_purchases_90d,
        clv_predictions.expected_purchases_365d,
        clv_predictions.expected_value_90d,
        clv_predictions.expected_value_365d,
        clv_predictions.probability_alive,
        clv_predictions.model_name,
        clv_predictions.model_version
    from clv_predictions
)

select * from final
