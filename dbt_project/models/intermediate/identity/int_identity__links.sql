{#- Distinct identifier links: `strong` (one account on two platforms) or `phone`
    (account–phone). -#}
with

pairs as (select * from {{ ref('int_identity__pairs') }}),

final as (
    select distinct
        pairs.left_type,
        pairs.left_value,
        pairs.right_type,
        pairs.right_value,
        pairs.link_kind
    from pairs
    where pairs.right_value is not null and not pairs.is_retired
)

select * from final
