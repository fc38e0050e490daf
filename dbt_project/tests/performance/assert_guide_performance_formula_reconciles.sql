-- 私域业绩 reconciles: asset count × delivery rate × scene conversion rate × revenue per buyer gives
-- the touched net revenue back to the cent when the guide had buyers; without buyers there is none.
with

guide_performance as (select * from {{ ref('guide_performance') }})

select *
from guide_performance
where
    (guide_performance.buyers > 0 and round(
        guide_performance.customer_asset_count * guide_performance.delivery_rate
        * guide_performance.scene_conversion_rate * guide_performance.revenue_per_buyer, 2
    ) is distinct from guide_performance.touched_net_revenue)
    or (guide_performance.buyers = 0 and guide_performance.touched_net_revenue != 0)
