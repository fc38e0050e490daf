{#- Rule-based customer tags (客户标签): each rule of seed customer_tag_rules tests one attribute of
    int_customers__tag_attributes; `{value}` in a tag is replaced by the attribute's value. A tag is
    assigned when its condition became true if the attribute knows it, else at the end of the latest
    loaded Beijing business date (the as-of moment of user_assets). -#}
with

attributes as (select * from {{ ref('int_customers__tag_attributes') }}),
rules as (select * from {{ ref('customer_tag_rules') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

matches as (
    select
        attributes.customer_id,
        rules.tag_group,
        replace(rules.tag, '{value}', attributes.value_text) as tag,
        attributes.value_since
    from attributes
    inner join rules on attributes.attribute = rules.source_column
    where case rules.operator
        when 'eq' then attributes.value_text = rules.value
        when 'gte' then attributes.value_number >= try_cast(rules.value as double)
        when 'lte' then attributes.value_number <= try_cast(rules.value as double)
        when 'is_true' then attributes.value_text = 'true'
        when 'is_not_null' then attributes.value_text is not null
        else false
    end
),

final as (
    select
        {{ as_text('matches.customer_id') }} as customer_id,
        {{ as_text('matches.tag_group') }} as tag_group,
        {{ as_text('matches.tag') }} as tag,
        cast(coalesce(
            min(matches.value_since),
            bounds.loaded_until_at
        ) as {{ instant_type() }}) as assigned_at
    from matches
    cross join bounds
    group by matches.customer_id, matches.tag_group, matches.tag, bounds.loaded_until_at
)

select * from final
