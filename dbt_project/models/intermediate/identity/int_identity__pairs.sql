{#- Every record's identifiers, as (left, right) pairs when a record names two, else (left, null).
    `strong` pairs name one account on two platforms; `phone` pairs attach a phone hash to an
    account. Only valid/placeholder phones carry a hash; placeholders are blocked later, masked ones
    never link. An identifier is never "" or blank (sources.md), nested lists included: a blank
    value names no one.

    Incremental by record (origin, record_key): each row carries its staging row's version (landing
    day and load), and a night recomputes the records whose version changed — loaded since the
    origin's latest row here, or a version held here that staging no longer has (the record left,
    or went back to an older version when its later day was re-delivered without it) — and the
    Youzan orders naming an mp user (outer_user_id) that came or left. Snapshot records are no
    different: every snapshot day's rows are records (none is filtered on the latest snapshot), so
    a late snapshot's rows are loaded since the watermark and a re-delivered day's lost rows are
    versions staging no longer has. tests/e2e/test_incremental_nights.py compares it with a full
    rebuild night after night.

    Each row keeps the run that wrote it (written_run), and a recomputed record keeps, as retired
    rows (is_retired, the identifier on the left), the identifiers it named until now and names no
    more, or had retired before and still does not name; a record that left keeps all of its own.
    So int_identity__nodes finds the identifiers whose pairs changed in the rows written since its
    own last run, rather than by grouping every pair side of the history, and then deletes the
    retired rows it has read (its post-hook). Every other model reads the rows not retired. -#}
{{ incremental_intermediate_config(['origin', 'record_key'], 'has_identifier') }}
{%- set incremental = is_incremental() %}
{#- the run: its start in microseconds since the epoch (one more than any kept, on an incremental
    night whose clock went back), so a later run's rows are always newer -#}
{%- set run_start = run_start_micros() -%}
{#- Which identifiers each kind of record names, one entry a `pairs` branch: the import CTE it reads
    (`rows`), its origin, the columns naming one record (record_key), the identifier the record is
    about (`left`: type, column) and the second one it names (`right`: type, column and, for a phone,
    the phone's kind column) — a strong link between two accounts, a phone link to a phone hash. The
    record was seen at `seen`, or at Beijing midnight of `or_midnight_of` when it has no time (a
    snapshot row); it landed on landed_date, a snapshot on its snapshot_date. `where` keeps some rows
    only: a group's external members; a Youzan order's outer_user_id, the buyer's openid in the
    order's storefront, links to the mp/user holding it and never makes a mini program user by
    itself (sources.md): no mp/user, no pair. -#}
{%- set p = "phone" -%}
{%- set branches = [
    {'rows': 'oa_users', 'origin': 'oa/user', 'key': ['snapshot_date', 'openid'],
     'left': ['oa_openid', 'openid'], 'right': ['unionid', 'unionid'],
     'seen': 'subscribed_at', 'or_midnight_of': 'snapshot_date', 'landed': 'snapshot_date'},
    {'rows': 'oa_events', 'origin': 'oa/event', 'key': ['openid', 'event_at', 'event'],
     'left': ['oa_openid', 'openid'], 'seen': 'event_at'},
    {'rows': 'mp_users', 'origin': 'mp/user', 'key': ['snapshot_date', 'openid'],
     'left': ['mp_openid', 'openid'], 'right': ['unionid', 'unionid'],
     'seen': 'created_at', 'landed': 'snapshot_date'},
    {'rows': 'mp_users', 'origin': 'mp/user', 'key': ['snapshot_date', 'openid'],
     'left': ['mp_openid', 'openid'], 'right': [p, 'phone_number_hash', 'phone_number_kind'],
     'seen': 'created_at', 'landed': 'snapshot_date'},
    {'rows': 'mp_events', 'origin': 'mp/event', 'key': ['event_id'],
     'left': ['mp_openid', 'openid'], 'seen': 'event_at'},
    {'rows': 'contacts', 'origin': 'wecom/external_contact',
     'key': ['snapshot_date', 'external_userid', 'userid'],
     'left': ['external_userid', 'external_userid'], 'right': ['unionid', 'unionid'],
     'seen': 'added_at', 'landed': 'snapshot_date'},
    {'rows': 'contact_mobiles', 'origin': 'wecom/external_contact',
     'key': ['snapshot_date', 'external_userid', 'userid'],
     'left': ['external_userid', 'external_userid'], 'right': [p, 'mobile_hash', 'mobile_kind'],
     'or_midnight_of': 'snapshot_date', 'landed': 'snapshot_date'},
    {'rows': 'contact_events', 'origin': 'wecom/contact_event',
     'key': ['external_userid', 'userid', 'change_type', 'changed_at'],
     'left': ['external_userid', 'external_userid'], 'seen': 'changed_at'},
    {'rows': 'group_members', 'origin': 'wecom/group_chat',
     'key': ['snapshot_date', 'chat_id', 'member_userid'],
     'left': ['external_userid', 'external_userid'], 'right': ['unionid', 'unionid'],
     'seen': 'joined_at', 'landed': 'snapshot_date', 'where': 'group_members.is_external'},
    {'rows': 'invitations', 'origin': 'fission/invitation', 'key': ['invitation_id'],
     'left': ['unionid', 'inviter_unionid'], 'seen': 'step_at'},
    {'rows': 'invitations', 'origin': 'fission/invitation', 'key': ['invitation_id'],
     'left': ['external_userid', 'inviter_external_userid'], 'seen': 'step_at'},
    {'rows': 'invitations', 'origin': 'fission/invitation', 'key': ['invitation_id'],
     'left': ['unionid', 'invitee_unionid'], 'right': ['external_userid', 'invitee_external_userid'],
     'seen': 'step_at'},
    {'rows': 'youzan_trades', 'origin': 'youzan/trade', 'key': ['tid'],
     'left': ['yz_open_id', 'yz_open_id'], 'right': [p, 'buyer_phone_hash', 'buyer_phone_kind'],
     'seen': 'created_at'},
    {'rows': 'youzan_trades', 'origin': 'youzan/trade', 'key': ['tid'],
     'left': ['yz_open_id', 'yz_open_id'], 'right': ['mp_openid', 'outer_user_id'],
     'seen': 'created_at',
     'where': 'youzan_trades.outer_user_id in (select mp_users.openid from mp_users)'},
    {'rows': 'douyin_orders', 'origin': 'douyin/order', 'key': ['order_id'],
     'left': ['doudian_open_id', 'doudian_open_id'], 'seen': 'created_at'},
    {'rows': 'tmall_trades', 'origin': 'tmall/trade', 'key': ['order_no'],
     'left': ['tmall_buyer_nick', 'buyer_nick'], 'seen': 'created_at'},
    {'rows': 'tmall_members', 'origin': 'tmall/member', 'key': ['snapshot_date', 'member_id'],
     'left': ['tmall_buyer_nick', 'buyer_nick'], 'right': ['tmall_member_id', 'member_id'],
     'seen': 'bound_at', 'landed': 'snapshot_date'},
    {'rows': 'tmall_members', 'origin': 'tmall/member', 'key': ['snapshot_date', 'member_id'],
     'left': ['tmall_member_id', 'member_id'], 'right': [p, 'phone_hash', 'phone_kind'],
     'seen': 'bound_at', 'landed': 'snapshot_date'},
    {'rows': 'pos_receipts', 'origin': 'pos/receipt', 'key': ['store_code', 'receipt_no'],
     'left': ['pos_card_no', 'card_no'], 'right': [p, 'phone_hash', 'phone_kind'],
     'seen': 'traded_at'},
    {'rows': 'pos_members', 'origin': 'pos/member', 'key': ['snapshot_date', 'card_no'],
     'left': ['pos_card_no', 'card_no'], 'right': [p, 'phone_hash', 'phone_kind'],
     'seen': 'registered_at', 'landed': 'snapshot_date'},
    {'rows': 'leads', 'origin': 'leads/oceanengine', 'key': ['clue_id'],
     'left': ['clue_id', 'clue_id'], 'right': [p, 'telephone_hash', 'telephone_kind'],
     'seen': 'created_at'},
] -%}
{#- every origin a branch writes, for the incremental branch's watermarks -#}
{%- set origins = branches | map(attribute='origin') | unique | sort | list -%}
with

-- the imports are scanned where read, not copied: several are read 3 to 12 times below, and DuckDB
-- materializes such a CTE (a copy of the staging tables, ~5 GB at 1,000,000 customers)
oa_users as {{ not_materialized() }} (select * from {{ ref('stg_oa__users') }}),
oa_events as {{ not_materialized() }} (select * from {{ ref('stg_oa__events') }}),
mp_users as {{ not_materialized() }} (select * from {{ ref('stg_mp__users') }}),
mp_events as {{ not_materialized() }} (select * from {{ ref('stg_mp__events') }}),
contacts as {{ not_materialized() }} (select * from {{ ref('stg_wecom__external_contacts') }}),
contact_mobiles as {{ not_materialized() }} (
    select * from {{ ref('stg_wecom__external_contact_mobiles') }}
),
contact_events as {{ not_materialized() }} (select * from {{ ref('stg_wecom__contact_events') }}),
group_members as {{ not_materialized() }} (
    select * from {{ ref('stg_wecom__group_chat_members') }}
),
invitations as {{ not_materialized() }} (select * from {{ ref('stg_fission__invitations') }}),
youzan_trades as {{ not_materialized() }} (select * from {{ ref('stg_youzan__trades') }}),
douyin_orders as {{ not_materialized() }} (select * from {{ ref('stg_douyin__orders') }}),
tmall_trades as {{ not_materialized() }} (select * from {{ ref('stg_tmall__trades') }}),
tmall_members as {{ not_materialized() }} (select * from {{ ref('stg_tmall__members') }}),
pos_receipts as {{ not_materialized() }} (select * from {{ ref('stg_pos__receipts') }}),
pos_members as {{ not_materialized() }} (select * from {{ ref('stg_pos__members') }}),
leads as {{ not_materialized() }} (select * from {{ ref('stg_leads__oceanengines') }}),
load_log as {{ not_materialized() }} (select * from {{ ref('stg_loads__load_logs') }}),

pairs as {{ not_materialized() }} (
    -- record_key: a 64-bit hash naming the source record (one per staging row) within its origin,
    -- so an identifier named by several pairs of one record counts that record once
    {%- for branch in branches %}
    {%- set rows = branch.rows %}
    {%- set key_columns = [] %}
    {%- for column in branch.key %}
    {%- do key_columns.append(rows ~ '.' ~ column) %}
    {%- endfor %}
    {%- set seen = [rows ~ '.' ~ branch.seen] if branch.seen else [] %}
    {%- if branch.or_midnight_of %}
    {%- do seen.append(beijing_midnight(rows ~ '.' ~ branch.or_midnight_of)) %}
    {%- endif %}
    {%- set is_phone = branch.right and branch.right[0] == p %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ branch.left[0] }}' as left_type,
        {{ rows }}.{{ branch.left[1] }} as left_value,
        {%- if branch.right %}
        '{{ branch.right[0] }}' as right_type,
        {{ rows }}.{{ branch.right[1] }} as right_value,
        '{{ p if is_phone else "strong" }}' as link_kind,
        {{ rows ~ '.' ~ branch.right[2] if is_phone else as_text('null') }} as phone_kind,
        {%- else %}
        {{ as_text('null') }} as right_type,
        {{ as_text('null') }} as right_value,
        {{ as_text('null') }} as link_kind,
        {{ as_text('null') }} as phone_kind,
        {%- endif %}
        {{ seen[0] if seen | length == 1 else 'coalesce(' ~ seen | join(', ') ~ ')' }}
            as observed_at,
        '{{ branch.origin }}' as origin,
        {{ record_key(key_columns) }} as record_key,
        {{ rows }}.{{ branch.landed or 'landed_date' }} as landed_date,
        {{ rows }}.loaded_at
    from {{ rows }}
    {%- if branch.where %}
    where {{ branch.where }}
    {%- endif %}
    {%- endfor %}
),

{%- if incremental %}

watermarks as (
    -- per origin, the latest load of a version this table holds: one scalar subquery an origin,
    -- which the planner counts as one row. As one `group by origin` over this table it counted a
    -- row per kept pair, and the joins below then put every staged record (17 M at 1,000,000
    -- customers) into hash tables rather than tonight's few: 8.7-11 s → 1.9-3.1 s on an ordinary
    -- night's 70,000 records. An origin missing here would lose its re-delivery check
    -- (the list comes from the branches table; tests/dbt/test_identity_pairs_origins.py).
    {%- for origin in origins %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ origin }}' as origin,
        (
            select max(kept_pairs.loaded_at) from {{ this }} as kept_pairs
            where kept_pairs.origin = '{{ origin }}'
        ) as loaded_at
    {%- endfor %}
),

relanded as (
    -- the day folders of each origin loaded since: a re-delivery may have taken a record away
    select distinct
        load_log.origin,
        load_log.landed_date
    from load_log
    inner join watermarks on load_log.origin = watermarks.origin
    where load_log.loaded_at > watermarks.loaded_at
),

relanded_pairs as (
    -- the staged records of those day folders: the only ones a version held from them can match
    -- (the anti join below then builds its hash table on them, not on every staged record)
    select
        pairs.origin,
        pairs.record_key,
        pairs.landed_date,
        pairs.loaded_at
    from pairs
    inner join relanded
        on pairs.origin = relanded.origin and pairs.landed_date = relanded.landed_date
),

changed as (
    -- a version loaded since the origin's watermark (or of an origin this table has none of): a
    -- new record, or a new version of one
    select
        pairs.origin,
        pairs.record_key
    from pairs
    left join watermarks on pairs.origin = watermarks.origin
    where watermarks.loaded_at is null or pairs.loaded_at > watermarks.loaded_at
    union
    -- a version held here from a day loaded again that staging no longer has: the record left, or
    -- went back to an older version (its later day re-delivered without it)
    select
        kept_pairs.origin,
        kept_pairs.record_key
    from {{ this }} as kept_pairs
    inner join relanded
        on kept_pairs.origin = relanded.origin and kept_pairs.landed_date = relanded.landed_date
    where not exists (
        select 1 from relanded_pairs
        where
            relanded_pairs.origin = kept_pairs.origin
            and relanded_pairs.record_key = kept_pairs.record_key
            and relanded_pairs.landed_date = kept_pairs.landed_date
            and relanded_pairs.loaded_at = kept_pairs.loaded_at
    )
),

mini_program_openids as (
    -- openids of the mp users that came, changed or left (an openid is a required key, never
    -- blank: the loader quarantines a blank one)
    select pairs.left_value as openid
    from pairs
    inner join changed
        on pairs.origin = changed.origin and pairs.record_key = changed.record_key
    where pairs.origin = 'mp/user'
    union
    select kept_pairs.left_value
    from {{ this }} as kept_pairs
    inner join changed
        on kept_pairs.origin = changed.origin and kept_pairs.record_key = changed.record_key
    where kept_pairs.origin = 'mp/user' and not kept_pairs.is_retired
),

touched as (
    select
        changed.origin,
        changed.record_key
    from changed
    union
    -- a Youzan order linked to one of them now, or until now
    select
        pairs.origin,
        pairs.record_key
    from pairs
    where
        pairs.origin = 'youzan/trade'
        and pairs.right_type = 'mp_openid'
        and pairs.right_value in (select mini_program_openids.openid from mini_program_openids)
    union
    select
        kept_pairs.origin,
        kept_pairs.record_key
    from {{ this }} as kept_pairs
    where
        kept_pairs.origin = 'youzan/trade'
        and kept_pairs.right_type = 'mp_openid'
        and kept_pairs.right_value in (select mini_program_openids.openid from mini_program_openids)
),
{%- endif %}

named as (
    select
        pairs.left_type,
        case when not {{ is_blank('pairs.left_value') }} then pairs.left_value end as left_value,
        pairs.right_type,
        case when not {{ is_blank('pairs.right_value') }} then pairs.right_value end as right_value,
        pairs.link_kind,
        pairs.phone_kind,
        pairs.observed_at,
        pairs.origin,
        pairs.record_key,
        pairs.landed_date,
        pairs.loaded_at
    from pairs
    {%- if incremental %}
    where
        exists (
            select 1 from touched
            where touched.origin = pairs.origin and touched.record_key = pairs.record_key
        )
    {%- endif %}
),

runs as (
    select {{ run_start }} as written_run
    {%- if incremental %}
    union all
    select max(kept_pairs.written_run) + 1 from {{ this }} as kept_pairs
    {%- endif %}
),

run as (
    -- this run: later than every run kept, even were the clock to go back
    select max(runs.written_run) as written_run from runs
),

resolved as (
    select
        -- a record with no account id but a phone (an anonymous POS receipt with a phone) is the
        -- phone alone
        coalesce(named.left_value, named.right_value) is not null as has_identifier,
        case
            when named.left_value is null then named.right_type else named.left_type
        end as left_type,
        coalesce(named.left_value, named.right_value) as left_value,
        case
            when named.left_value is not null and named.right_value is not null
                then named.right_type
        end as right_type,
        case when named.left_value is not null then named.right_value end as right_value,
        case
            when named.left_value is not null and named.right_value is not null
                then named.link_kind
        end as link_kind,
        named.phone_kind,
        named.observed_at,
        named.origin,
        named.record_key,
        named.landed_date,
        named.loaded_at,
        false as is_retired,
        run.written_run
    from named
    cross join run
),

live as (
    select * from resolved
    where has_identifier
)
{%- if incremental %},

kept_sides as (
    -- what the touched records named until now, and what they had retired (with its run); semi
    -- joins, so that tonight's few records are the hash table (as inner joins DuckDB hashed every
    -- kept row: 1.5 s at 250,000 customers × 365 days)
    select
        kept_pairs.origin,
        kept_pairs.record_key,
        kept_pairs.left_type as id_type,
        kept_pairs.left_value as id_value,
        case when kept_pairs.is_retired then kept_pairs.written_run end as retired_run
    from {{ this }} as kept_pairs
    where
        exists (
            select 1 from touched
            where touched.origin = kept_pairs.origin and touched.record_key = kept_pairs.record_key
        )
    union all
    select
        kept_pairs.origin,
        kept_pairs.record_key,
        kept_pairs.right_type,
        kept_pairs.right_value,
        null
    from {{ this }} as kept_pairs
    where
        kept_pairs.right_value is not null
        and exists (
            select 1 from touched
            where touched.origin = kept_pairs.origin and touched.record_key = kept_pairs.record_key
        )
),

retired as (
    -- named until now and not tonight: retired by this run; retired before and still not named:
    -- kept with the run that retired it
    select
        true as has_identifier,
        kept_sides.id_type as left_type,
        kept_sides.id_value as left_value,
        null as right_type,
        null as right_value,
        null as link_kind,
        null as phone_kind,
        null as observed_at,
        kept_sides.origin,
        kept_sides.record_key,
        null as landed_date,
        null as loaded_at,
        true as is_retired,
        case
            when bool_or(kept_sides.retired_run is null) then any_value(run.written_run)
            else max(kept_sides.retired_run)
        end as written_run
    from kept_sides
    cross join run
    where
        not exists (
            select 1 from live
            where
                live.origin = kept_sides.origin
                and live.record_key = kept_sides.record_key
                and (
                    (live.left_type = kept_sides.id_type and live.left_value = kept_sides.id_value)
                    or (
                        live.right_type = kept_sides.id_type
                        and live.right_value = kept_sides.id_value
                    )
                )
        )
    group by kept_sides.origin, kept_sides.record_key, kept_sides.id_type, kept_sides.id_value
)
{%- endif %},

final as (
    select * from live
    {%- if incremental %}
    union all by name
    select * from retired
    {%- endif %}
)

-- no tombstone: a touched record that names nothing tonight keeps its kept identifiers as retired
-- rows, which carry its key (so delete+insert deletes what it named); one with none kept has
-- nothing to delete
select * from final
