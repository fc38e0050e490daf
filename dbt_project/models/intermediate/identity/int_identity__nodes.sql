{#- Every identifier seen, with when it was first seen, how many records name it, and whether it
    may link. Blocked identifiers (blocklisted values, placeholder phones, employees' phones) stay
    in the graph's inputs only as rejected rows: they link nothing and form no customer. -#}
with

pairs as (select * from {{ ref('int_identity__pairs') }}),
blocklist as (select * from {{ ref('identity_blocklist') }}),
employees as (select * from {{ ref('stg_org__employees') }}),

sides as (
    select
        left_type as id_type,
        left_value as id_value,
        observed_at,
        case when left_type = 'phone' then phone_kind end as phone_kind,
        origin,
        record_key
    from pairs
    union all
    select
        right_type,
        right_value,
        observed_at,
        phone_kind,
        origin,
        record_key
    from pairs
    where right_value is not null
),

aggregated as (
    select
        sides.id_type,
        sides.id_value,
        min(sides.observed_at) as first_seen_at,
        count(distinct {{ record_key(['sides.origin', 'sides.record_key']) }}) as records,
        bool_or(sides.phone_kind = 'placeholder') as is_placeholder_phone
    from sides
    group by sides.id_type, sides.id_value
),

blocked as (
    select distinct
        blocklist.id_value,
        blocklist.id_type,
        blocklist.reason
    from blocklist
),

staff as (
    select distinct employees.mobile_hash from employees
),

final as (
    select
        aggregated.id_type,
        aggregated.id_value,
        aggregated.first_seen_at,
        aggregated.records,
        case
            when blocked.reason is not null then blocked.reason
            when aggregated.is_placeholder_phone then 'placeholder_phone'
            when aggregated.id_type = 'phone' and staff.mobile_hash is not null
                then 'employee_phone'
        end as block_reason,
        block_reason is null as is_linkable
    from aggregated
    left join blocked
        on
            (blocked.id_type = '*' or blocked.id_type = aggregated.id_type)
            and trim(aggregated.id_value) = coalesce(blocked.id_value, '')
    left join staff
        on aggregated.id_value = staff.mobile_hash
)

select * from final
