{#- New customers and buyers are among the invitees, k_factor is new_customers / participants (null
    exactly when there is no participant), and a campaign with participants reaches generation ≥ 1.
-#}
select *
from {{ ref('fission_campaigns') }}
where
    new_customers > invitees
    or buyers > invitees
    or (participants = 0) <> (k_factor is null)
    or abs(k_factor - new_customers / participants) > 1e-12
    or (participants > 0) <> coalesce(max_generation >= 1, false)
