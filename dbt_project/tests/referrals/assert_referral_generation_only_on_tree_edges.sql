{#- A non-self pair is an edge into the campaign's tree: its invitee has generation ≥ 1. A
    self-invitation is no edge and carries no generation. -#}
select referrals.*
from {{ ref('referrals') }} as referrals
where
    not referrals.is_self_invitation and (referrals.generation is null or referrals.generation < 1)
    or referrals.is_self_invitation and referrals.generation is not null
