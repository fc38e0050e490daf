{#- Every identifier seen, with when it was first seen, how many records name it, and whether it
    may link. Blocked identifiers (blocklisted values, placeholder phones, employees' phones) stay
    in the graph's inputs only as rejected rows: they link nothing and form no customer.

    Incremental by identifier. A night recomputes the identifiers named by the pairs rows written
    since this table's last run (int_identity__pairs keeps the run that wrote each row, and as
    retired rows the identifiers a recomputed record no longer names): a record that came, changed
    or left. With them every identifier blocked now or until now: the blocklist seed and the staff
    roster change without touching a pair (~100 identifiers at 100,000 customers). Pairs rebuilt
    since (each row newer than this table's last run, or none as new) recompute every identifier.
    A checksum over every pair side found them before: a group-by of the whole history each night,
    3 of the model's 5.6 CPU-s at 1,000,000 customers, and what grew most with history. -#}
{#- the retired pairs rows this run has read are deleted after it: a record's identifiers are kept
    no longer than the record (a re-delivery or `siyu forget` took it away) -#}
{{ incremental_intermediate_config(['id_type', 'id_value'], 'records', after=[
    "delete from {{ ref('int_identity__pairs') }}
     where is_retired and written_run <= (select max(pairs_run) from {{ this }})",
]) }}
{%- set incremental = is_incremental() %}
with

-- read twice below (each side of a pair): scanned where read, not first copied whole (17 M rows
-- at 1,000,000 customers)
pairs as {{ not_materialized() }} (select * from {{ ref('int_identity__pairs') }}),
blocklist as (select * from {{ ref('identity_blocklist') }}),
employees as (select * from {{ ref('stg_org__employees') }}),

sides as {{ not_materialized() }} (
    select
        pairs.left_type as id_type,
        pairs.left_value as id_value,
        pairs.observed_at,
        case when pairs.left_type = 'phone' then pairs.phone_kind end as phone_kind,
        pairs.origin,
        pairs.record_key
    from pairs
    where not pairs.is_retired
    union all
    select
        pairs.right_type,
        pairs.right_value,
        pairs.observed_at,
        pairs.phone_kind,
        pairs.origin,
        pairs.record_key
    from pairs
    where pairs.right_value is not null and not pairs.is_retired
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

runs as (
    -- this table's last run, and the first and last of the pairs' rows
    select
        (select max(kept.pairs_run) from {{ this }} as kept) as kept_run,
        min(pairs.written_run) as first_run,
        max(pairs.written_run) as last_run
    from pairs
),

touched as (
    -- named by a pairs row written since: a side that came, changed, or was retired
    select
        pairs.left_type as id_type,
        pairs.left_value as id_value
    from pairs
    where pairs.written_run > (select runs.kept_run from runs)
    union
    select
        pairs.right_type,
        pairs.right_value
    from pairs
    where
        pairs.written_run > (select runs.kept_run from runs)
        and pairs.right_value is not null
    union
    -- every identifier kept, when the pairs were rebuilt since (or this table has no run)
    select
        kept.id_type,
        kept.id_value
    from {{ this }} as kept
    cross join runs
    where coalesce(runs.first_run > runs.kept_run or runs.last_run < runs.kept_run, true)
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
        sides.id_type,
        sides.id_value,
        {{ record_key(['sides.origin', 'sides.record_key']) }} as record,
        min(sides.observed_at) as first_seen_at,
        bool_or(sides.phone_kind = 'placeholder') as is_placeholder_phone
    from sides
    {%- if incremental %}
    where
        exists (
            select 1 from touched
            where touched.id_type = sides.id_type and touched.id_value = sides.id_value
        )
    {%- endif %}
    group by
        sides.id_type,
        sides.id_value,
        {{ record_key(['sides.origin', 'sides.record_key']) }}
),

aggregated as (
    select
        per_record.id_type,
        per_record.id_value,
        min(per_record.first_seen_at) as first_seen_at,
        count(*) as records,
        bool_or(per_record.is_placeholder_phone) as is_placeholder_phone
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
        (select max(pairs.written_run) from pairs) as pairs_run
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
