-- 私域业绩 reconciles: asset count × delivery rate × scene conversion rate × revenue per buyer gives
-- the touched net revenue back to the cent when the guide had buyers; without buyers there is none.
with

guide_performance as (select * from {{ ref('guide_performance') }})

select *
from guide_performance
where
    (buyers > 0 and round(
        customer_asset_count * delivery_rate
        * scene_conversion_rate * revenue_per_buyer, 2
    ) is distinct from touched_net_revenue)
    or (buyers = 0 and touched_net_revenue != 0)
