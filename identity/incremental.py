"""Incremental identity resolution: recompute only the link-graph components that changed.

Merge protection is local to a connected component of the *unprotected* link graph (every current
link, including those of phones that end up rejected): strong links are cut inside their own strong
component, a phone's degree counts the strong components among its own neighbours, a veto looks
only at the component the phone would create, and each later round cuts phones only inside a
component that still conflicts, so a component that has settled stays settled while others take
more rounds. Hence a component whose identifiers and links are exactly last run's resolves exactly
as last run did and keeps its customers and ids, and the rest resolve alone as they would among all
others. Recomputed are, whole, the components holding an endpoint of an added or
removed link or a new identifier. Whole, not just the customers at the changed link: one edge that
pushes a phone over the degree cap separates every customer that phone had joined, and removing it
brings them back together — customers the changed link never touches.

One widening is undone: a phone over the degree cap last run and now (a store's landline typed into
hundreds of remarks) is rejected before any round and decides nothing for anyone else, so its links
are left out of the components; otherwise every new remark would recompute all its customers. It must
be over the cap on both runs: a phone newly over it must still take apart the customers it joined.

Every previous customer lies inside one previous component, so it is either wholly recomputed or
wholly kept: merge and split detection and the oldest-id rule see exactly what a full run sees.

Persisted in schema `identity`: `links` (the links resolved last run, between linkable identifiers)
and `run_state` (the rules they were resolved under). Last run's identifiers are customer_map ∪ rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from identity.components import MAX_ROUNDS, components, count_components, distinct, over_shared

# Above this share of identifiers touched, a full run is cheaper than diffing and patching tables.
MAX_TOUCHED_SHARE = 0.3
LINK_COLUMNS = "left_type, left_value, right_type, right_value, link_kind"
STATE_DDL = f"""
create table if not exists identity.links ({", ".join(c + " varchar" for c in LINK_COLUMNS.split(", "))});
create table if not exists identity.run_state (rules varchar, path varchar, ran_at timestamptz);
"""


DIFF_SQL = f"""
    create or replace temp table _added as
        select {LINK_COLUMNS} from _links except select * from identity.links;
    create or replace temp table _removed as
        select * from identity.links except select {LINK_COLUMNS} from _links;
    create or replace temp table _previous_ids as
        select id_type, id_value from identity.customer_map
        union select id_type, id_value from identity.rejected;
    create or replace temp table _new_ids as
        select id_type, id_value from _nodes except select * from _previous_ids;
    create or replace temp table _gone_ids as
        select * from _previous_ids except select id_type, id_value from _nodes;
"""
# Identifiers whose neighbourhood changed: ends of added and removed links, and new identifiers.
SEEDS_SQL = """
    with ends as (
        select left_type as id_type, left_value as id_value from _added
        union select right_type, right_value from _added
        union select left_type, left_value from _removed
        union select right_type, right_value from _removed
        union select id_type, id_value from _new_ids
    )
    select _nodes.idx from _nodes inner join ends using (id_type, id_value)
"""


def rules_key(degree_cap: int, unique_types: tuple[str, ...],
              account_groups: dict[str, tuple[str, ...]] | None = None) -> str:
    """Last run's customers can be kept only if they were resolved under the same rules."""
    # strong_veto: since strong links obey the unique types too; a state from before resolves in full
    key = f"degree_cap={degree_cap};unique={','.join(unique_types)};max_rounds={MAX_ROUNDS};strong_veto"
    for group, types in sorted((account_groups or {}).items()):
        key += f";{group}={','.join(types)}"
    return key


@dataclass
class Scope:
    path: str                     # "full" or "incremental"
    reason: str                   # why this path ran
    touched: np.ndarray | None    # indices of the identifiers to recompute (None: all)
    components: int               # link-graph components recomputed
    links_added: int = 0
    links_removed: int = 0
    identifiers_added: int = 0
    identifiers_removed: int = 0

    def metadata(self, n: int) -> dict:
        touched = n if self.touched is None else len(self.touched)
        return {"path": self.path, "path_reason": self.reason, "identifiers_touched": touched,
                "components_recomputed": self.components, "links_added": self.links_added,
                "links_removed": self.links_removed, "identifiers_added": self.identifiers_added,
                "identifiers_removed": self.identifiers_removed}


def plan(con: duckdb.DuckDBPyConnection, n: int, left: np.ndarray, right: np.ndarray, strong: np.ndarray,
         degree_cap: int, rules: str, incremental: bool = True,
         max_share: float = MAX_TOUCHED_SHARE) -> Scope:
    """Which identifiers to recompute. Needs temp tables `_nodes` and `_links` (see warehouse._index)."""
    reason = "requested"
    if incremental:
        state = con.execute("select rules from identity.run_state").fetchall()
        reason = ("no previous state" if not state else
                  f"rules changed (was {state[0][0]})" if state[0][0] != rules else "")
    if reason:
        return Scope("full", reason, None, count_components(components(n, left, right)))

    con.execute(DIFF_SQL)
    counts = con.execute("select (select count(*) from _added), (select count(*) from _removed),"
                         " (select count(*) from _new_ids), (select count(*) from _gone_ids)").fetchone()
    seeds = con.execute(SEEDS_SQL).fetchnumpy()["idx"].astype(np.int64)
    # Hubs: phones over-shared last run and now. Rejected before any round, they decide nothing for
    # anyone else and stay rejected, so their links need not tie the customers around them together.
    # Both runs: a phone newly over the cap must still take apart the customers it used to join.
    over_before = con.execute("""
        select _nodes.idx from _nodes inner join identity.rejected using (id_type, id_value)
        where rejected.reason = 'over_shared'
    """).fetchnumpy()["idx"]
    hubs = np.intersect1d(over_shared(n, (left[strong], right[strong]), (left[~strong], right[~strong]),
                                      degree_cap), over_before)
    is_hub = np.zeros(n, dtype=bool)
    is_hub[hubs] = True
    keep = ~(is_hub[left] | is_hub[right])
    labels = components(n, left[keep], right[keep])
    seeds = np.setdiff1d(seeds, hubs)
    is_touched = np.zeros(n, dtype=bool)
    is_touched[labels[seeds]] = True
    touched = np.flatnonzero(is_touched[labels])
    scope = Scope("incremental", f"{len(touched):,} of {n:,} identifiers touched", touched,
                  len(distinct(labels[seeds])), *counts)
    if n and len(touched) > max_share * n:
        scope.path, scope.touched = "full", None
        scope.reason = f"{len(touched) / n:.0%} of identifiers touched > {max_share:.0%}"
        scope.components = count_components(components(n, left, right))
    return scope


def write_incremental(con: duckdb.DuckDBPyConnection, scope: Scope, insert) -> None:
    """Replace the recomputed identifiers' rows; `insert(con)` adds the new rows. Inside a transaction.

    Also brings kept rows to what a full run would write: a rejected identifier's record count, and
    the first_seen_at of a kept customer that had none, can change without any link changing."""
    con.register("_touched_idx", pa.table({"idx": scope.touched}))
    con.execute("""
        create or replace temp table _scope as
            select id_type, id_value from _nodes semi join _touched_idx using (idx)
            union all select id_type, id_value from _gone_ids;
        create or replace temp table _old_customers as
            select distinct customer_id from identity.customer_map semi join _scope using (id_type, id_value);
        delete from identity.customer_map as m using _scope as s
        where m.id_type = s.id_type and m.id_value = s.id_value;
        delete from identity.customers using _old_customers as o where customers.customer_id = o.customer_id;
        delete from identity.rejected as r using _scope as s
        where r.id_type = s.id_type and r.id_value = s.id_value;
    """)
    con.unregister("_touched_idx")
    insert(con)
    con.execute(f"""
        delete from identity.links as l using _removed as r
        where (l.left_type, l.left_value, l.right_type, l.right_value, l.link_kind)
            = (r.left_type, r.left_value, r.right_type, r.right_value, r.link_kind);
        insert into identity.links select {LINK_COLUMNS} from _added;
        update identity.rejected as r set records = n.records from _nodes as n
        where r.id_type = n.id_type and r.id_value = n.id_value and r.records is distinct from n.records;
        update identity.customers as c set first_seen_at = b.born
        from (
            select m.customer_id, min(n.first_seen_at) as born
            from identity.customer_map as m inner join _nodes as n using (id_type, id_value)
            where m.customer_id in (select customer_id from identity.customers where first_seen_at is null)
            group by m.customer_id
        ) as b
        where c.customer_id = b.customer_id and c.first_seen_at is null and b.born is not null;
    """)


def previous_state(con: duckdb.DuckDBPyConnection, scope: Scope):
    """Last run's map and customers for the identifiers about to be recomputed (all of them on a full run)."""
    if scope.touched is None:
        return (con.execute("select id_type, id_value, customer_id from identity.customer_map").df(),
                con.execute("select customer_id, first_seen_at from identity.customers").df())
    con.register("_touched_idx", pa.table({"idx": scope.touched}))
    con.execute("""
        create or replace temp table _previous_map as
        select m.id_type, m.id_value, m.customer_id from identity.customer_map as m
        inner join (select id_type, id_value from _nodes semi join _touched_idx using (idx)) as touched
            using (id_type, id_value)
    """)
    con.unregister("_touched_idx")
    return (con.execute("select * from _previous_map").df(),
            con.execute("select customer_id, first_seen_at from identity.customers semi join"
                        " (select distinct customer_id from _previous_map) as olds using (customer_id)").df())
