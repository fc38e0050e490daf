{#- New customers and buyers are among the invitees, k_factor is new_customers / participants (null
    exactly when there is no participant), and a campaign with participants reaches generation ≥ 1.
-#}
select *
from {{ ref('fission_campaigns') }} as campaigns
where campaigns.new_customers > campaigns.invitees
    or campaigns.buyers > campaigns.invitees
    or (campaigns.participants = 0) <> (campaigns.k_factor is null)
    or abs(campaigns.k_factor - campaigns.new_customers / campaigns.participants) > 1e-12
    or (campaigns.participants > 0) <> coalesce(campaigns.max_generation >= 1, false)
