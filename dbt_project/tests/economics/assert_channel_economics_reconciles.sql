-- No spend and no customer is lost or counted twice between channel_economics and its sources:
-- Σ spend = Σ ads/spend cost, Σ new_customers = customers; and cac × new_customers ≈ spend.
{#- the Dagster asset check attaches here -#}
{{ config(meta={'dagster': {'ref': {'name': 'channel_economics'}}}) }}
with

economics as (select * from {{ ref('channel_economics') }}),
spends as (select * from {{ ref('stg_ads__spends') }}),
acquisition as (select * from {{ ref('int_customers__acquisition') }}),

totals as (
    select
        coalesce(sum(economics.spend), 0) as spend,
        coalesce(sum(economics.new_customers), 0) as new_customers,
        (select coalesce(sum(spends.cost_amount), 0) from spends) as expected_spend,
        (select count(*) from acquisition) as expected_new_customers,
        count(*) filter (
            where economics.cac is not null
            and abs(economics.cac * economics.new_customers - economics.spend)
            > 0.005 * economics.new_customers
        ) as rows_with_cac_off
    from economics
)

select * from totals
where
    spend != expected_spend
    or new_customers != expected_new_customers
    or rows_with_cac_off > 0
