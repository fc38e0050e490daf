{#- Ad spend per acquisition channel × campaign × month of the spend's date. ads/spend campaign_id
    is looked up in org/channel_code `code`, giving the channel and the code row's campaign_id — the
    same pair customers acquired through that code carry. Spend whose campaign_id maps to no code is
    kept, under channel 'unmapped' with the ad platform's campaign_id, so no money disappears from
    CAC reports. -#}
with

spends as (select * from {{ ref('stg_ads__spends') }}),
channel_codes as (select * from {{ ref('stg_org__channel_codes') }}),

mapped as (
    select
        coalesce(channel_codes.channel, 'unmapped') as acquisition_channel,
        case
            when channel_codes.code is null then spends.campaign_id else channel_codes.campaign_id
        end
            as acquisition_campaign,
        cast(date_trunc('month', spends.spend_date) as date) as cohort_month,
        spends.cost_amount
    from spends
    left join channel_codes on spends.campaign_id = channel_codes.code
),

final as (
    select
        mapped.acquisition_channel,
        mapped.acquisition_campaign,
        mapped.cohort_month,
        cast(sum(mapped.cost_amount) as decimal(18, 2)) as spend
    from mapped
    group by mapped.acquisition_channel, mapped.acquisition_campaign, mapped.cohort_month
)

select * from final
