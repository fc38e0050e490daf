-- A prediction is a probability and non-negative expectations over a customer's own history:
-- 0 ≤ probability_alive ≤ 1, expected purchases and values ≥ 0, and the repeat days, recency and
-- age of value/clv.py's summary in order (0 ≤ frequency, 0 ≤ recency_days ≤ t_days).
with

clv_predictions as (select * from {{ ref('clv_predictions') }}),

final as (
    select
        clv_predictions.customer_id,
        clv_predictions.probability_alive,
        clv_predictions.expected_purchases_365d,
        clv_predictions.expected_value_365d
    from clv_predictions
    where
        not (clv_predictions.probability_alive between 0 and 1)
        or clv_predictions.expected_purchases_90d < 0
        or clv_predictions.expected_purchases_365d < clv_predictions.expected_purchases_90d
        or clv_predictions.expected_spend_per_purchase < 0
        or clv_predictions.expected_value_90d < 0
        or clv_predictions.expected_value_365d < 0
        or clv_predictions.frequency < 0
        or clv_predictions.recency_days < 0
        or clv_predictions.recency_days > clv_predictions.t_days
)

select * from final
