{#- Every identifier seen, with when it was first seen, how many records name it, and whether it
    may link. Blocked identifiers (blocklisted values, placeholder phones, employees' phones) stay
    in the graph's inputs only as rejected rows: they link nothing and form no customer.

    Incremental by identifier. A record that left or changed takes its old identifiers out of the
    pairs with it, so a night finds the identifiers whose pairs changed by a checksum: each keeps
    the sum of a 64-bit hash of every pair side naming it (origin, record, when seen, phone kind:
    all its aggregates read), and the sum over tonight's pairs — a plain sum, several times cheaper
    than the distinct count of records — differs for an identifier named anew, no longer named or
    named otherwise. Those are recomputed from their pairs, and with them every identifier blocked
    now or until now: the blocklist seed and the staff roster change without touching a pair
    (~100 identifiers at 100,000 customers). A changed set of pair sides keeping its sum would be
    a 64-bit hash collision, the risk record_key already takes. -#}
{{ incremental_intermediate_config(['id_type', 'id_value'], 'records') }}
{%- set incremental = is_incremental() %}
with

-- read twice below (each side of a pair): scanned where read, not first copied whole (17 M rows
-- at 1,000,000 customers)
pairs as {{ not_materialized() }} (select * from {{ ref('int_identity__pairs') }}),
blocklist as (select * from {{ ref('identity_blocklist') }}),
employees as (select * from {{ ref('stg_org__employees') }}),

sides as {{ not_materialized() }} (
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

hashed as {{ not_materialized() }} (
    select
        sides.*,
        cast({{ record_key([
            'sides.origin', 'sides.record_key', 'sides.observed_at', 'sides.phone_kind'
        ]) }} as decimal(38, 0)) as side_hash
    from sides
),

-- the text null as platforms write an empty field: blocked here, not in the seed, because dbt
-- reads a seed cell `null` as an empty one on most engines (Spark among them), DuckDB aside
null_texts as (
    select 'null' as id_value
    union all
    select 'NULL' as id_value
),

blocked as (
    select distinct
        blocklist.id_value,
        blocklist.id_type,
        blocklist.reason
    from blocklist
    union
    select
        null_texts.id_value,
        '*' as id_type,
        'blocklisted_value' as reason
    from null_texts
),

staff as (
    select distinct employees.mobile_hash from employees
),
{%- if incremental %}

checksums as (
    select
        hashed.id_type,
        hashed.id_value,
        sum(hashed.side_hash) as pairs_checksum
    from hashed
    group by hashed.id_type, hashed.id_value
),

touched as (
    -- named now with another checksum than the one kept, named now only, or no longer named
    select
        coalesce(checksums.id_type, kept.id_type) as id_type,
        coalesce(checksums.id_value, kept.id_value) as id_value
    from checksums
    full outer join {{ this }} as kept
        on checksums.id_type = kept.id_type and checksums.id_value = kept.id_value
    where checksums.pairs_checksum is distinct from kept.pairs_checksum
    union
    -- blocked until now, or matched by the blocklist or the staff roster now
    select
        kept.id_type,
        kept.id_value
    from {{ this }} as kept
    left join blocked
        on
            (blocked.id_type = '*' or blocked.id_type = kept.id_type)
            and trim(kept.id_value) = coalesce(blocked.id_value, '')
    left join staff
        on kept.id_value = staff.mobile_hash
    where
        kept.block_reason is not null
        or blocked.reason is not null
        or staff.mobile_hash is not null
),
{%- endif %}

per_record as (
    -- one row per identifier and record first: counting records is then a count, where a distinct
    -- count over every pair side was ~2.5× the time (100,000 customers)
    select
        hashed.id_type,
        hashed.id_value,
        {{ record_key(['hashed.origin', 'hashed.record_key']) }} as record,
        min(hashed.observed_at) as first_seen_at,
        bool_or(hashed.phone_kind = 'placeholder') as is_placeholder_phone,
        sum(hashed.side_hash) as pairs_checksum
    from hashed
    {%- if incremental %}
    where
        exists (
            select 1 from touched
            where touched.id_type = hashed.id_type and touched.id_value = hashed.id_value
        )
    {%- endif %}
    group by
        hashed.id_type,
        hashed.id_value,
        {{ record_key(['hashed.origin', 'hashed.record_key']) }}
),

aggregated as (
    select
        per_record.id_type,
        per_record.id_value,
        min(per_record.first_seen_at) as first_seen_at,
        count(*) as records,
        bool_or(per_record.is_placeholder_phone) as is_placeholder_phone,
        sum(per_record.pairs_checksum) as pairs_checksum
    from per_record
    group by per_record.id_type, per_record.id_value
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
        block_reason is null as is_linkable,
        aggregated.pairs_checksum
    from aggregated
    left join blocked
        on
            (blocked.id_type = '*' or blocked.id_type = aggregated.id_type)
            and trim(aggregated.id_value) = coalesce(blocked.id_value, '')
    left join staff
        on aggregated.id_value = staff.mobile_hash
)

select * from final
{%- if incremental %}
union all
-- a touched identifier no longer named leaves a tombstone (its key, nulls): delete+insert deletes
-- its row, the post-hook the tombstone
select
    touched.id_type,
    touched.id_value,
    null,
    null,
    null,
    null,
    null
from touched
where
    not exists (
        select 1 from final
        where final.id_type = touched.id_type and final.id_value = touched.id_value
    )
{%- endif %}
