{#- CAC and LTV by acquisition channel × campaign × cohort month. Spend and acquisition cohorts meet
    on all three (a null campaign matches a null campaign): spend with no customers keeps its row
    (cac null), cohorts with no spend have spend 0 and so cac 0 (spend / new_customers, as marts.md
    defines it); ltv_to_cac_180d and payback_days are then null (nothing to pay back, no ratio to a
    zero cost). The ltv_<N>d columns follow var ltv_windows, so the contract lists the same windows.
-#}
{%- set ltv_windows = var('ltv_windows') -%}
{%- if 180 not in ltv_windows -%}
    {{ exceptions.raise_compiler_error("var ltv_windows must include 180 for ltv_to_cac_180d") }}
{%- endif -%}
with

spends as (select * from {{ ref('int_economics__spends') }}),
cohorts as (select * from {{ ref('int_economics__cohorts') }}),
paybacks as (select * from {{ ref('int_economics__paybacks') }}),

combined as (
    select
        coalesce(spends.acquisition_channel, cohorts.acquisition_channel) as acquisition_channel,
        coalesce(spends.acquisition_campaign, cohorts.acquisition_campaign) as acquisition_campaign,
        coalesce(spends.cohort_month, cohorts.cohort_month) as cohort_month,
        coalesce(spends.spend, 0) as spend,
        coalesce(cohorts.new_customers, 0) as new_customers,
        {%- for days in ltv_windows %}
        cohorts.ltv_{{ days }}d,
        {%- endfor %}
        {{ divide('coalesce(spends.spend, 0)', 'nullif(cohorts.new_customers, 0)') }} as cac
    from spends
    full outer join cohorts
        on
            spends.acquisition_channel = cohorts.acquisition_channel
            and spends.acquisition_campaign is not distinct from cohorts.acquisition_campaign
            and spends.cohort_month = cohorts.cohort_month
),

final as (
    select
        combined.acquisition_channel,
        combined.acquisition_campaign,
        combined.cohort_month,
        cast(combined.spend as decimal(18, 2)) as spend,
        cast(combined.new_customers as bigint) as new_customers,
        cast(combined.cac as decimal(18, 2)) as cac,
        {%- for days in ltv_windows %}
        cast(combined.ltv_{{ days }}d as decimal(18, 2)) as ltv_{{ days }}d,
        {%- endfor %}
        cast({{ divide('combined.ltv_180d', 'nullif(combined.cac, 0)') }} as double)
            as ltv_to_cac_180d,
        paybacks.payback_days
    from combined
    left join paybacks
        on
            combined.acquisition_channel = paybacks.acquisition_channel
            and combined.acquisition_campaign is not distinct from paybacks.acquisition_campaign
            and combined.cohort_month = paybacks.cohort_month
)

select * from final
