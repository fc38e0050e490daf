"""Identity resolution against the warehouse: read identifiers and links, write the identity schema.

Input (dbt intermediate models):
  intermediate.int_identity__nodes  id_type, id_value, first_seen_at, records, is_linkable, block_reason
  intermediate.int_identity__links  left_type, left_value, right_type, right_value, link_kind (strong|phone)
Output (schema `identity`, read back by dbt as sources):
  customer_map (id_type, id_value, customer_id)   customers (customer_id, first_seen_at)
  changes (changed_at, change_type, old_customer_id, new_customer_id) — appended, one row per change
  rejected (id_type, id_value, reason, records)   — identifiers whose links the graph rules rejected: a
    phone's all (it is in no customer), an account's strong links to two values of a unique type
State for the next run (identity/incremental.py): links (the links resolved), run_state (the rules).
"""

from __future__ import annotations

import time

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from identity.components import resolve
from identity.incremental import (
    LINK_COLUMNS,
    MAX_TOUCHED_SHARE,
    STATE_DDL,
    Scope,
    plan,
    previous_state,
    rules_key,
    write_incremental,
)
from identity.registry import assign_ids

UNIQUE_TYPES = ("unionid", "external_userid")
NODE_COLUMNS = "idx, id_type, id_value, first_seen_at, records"

DDL = """
create schema if not exists identity;
create table if not exists identity.customer_map (id_type varchar, id_value varchar, customer_id varchar);
create table if not exists identity.customers (customer_id varchar, first_seen_at timestamptz);
create table if not exists identity.changes (
    changed_at timestamptz, change_type varchar, old_customer_id varchar, new_customer_id varchar);
create table if not exists identity.rejected (
    id_type varchar, id_value varchar, reason varchar, records bigint);
""" + STATE_DDL


def _index(con: duckdb.DuckDBPyConnection):
    """Linkable nodes numbered 0..n-1 (temp table _nodes), the links between them (temp table _links),
    and those links as int arrays; the mapping happens inside DuckDB."""
    con.execute("""
        create or replace temp table _nodes as
        select row_number() over (order by id_type, id_value) - 1 as idx,
            id_type, id_value, first_seen_at, records
        from intermediate.int_identity__nodes where is_linkable
    """)
    con.execute("""
        create or replace temp table _links as
        select distinct k.left_type, k.left_value, k.right_type, k.right_value, k.link_kind,
            l.idx as left_idx, r.idx as right_idx
        from intermediate.int_identity__links as k
        inner join _nodes as l on l.id_type = k.left_type and l.id_value = k.left_value
        inner join _nodes as r on r.id_type = k.right_type and r.id_value = k.right_value
    """)
    n = con.execute("select count(*) from _nodes").fetchone()[0]
    return n, con.execute("select left_idx, right_idx, link_kind from _links").fetchnumpy()


def _node_frame(con: duckdb.DuckDBPyConnection, idx: np.ndarray | None = None) -> pd.DataFrame:
    """Attributes of all nodes, or of `idx` only, ordered by index."""
    if idx is None:
        return con.execute(f"select {NODE_COLUMNS} from _nodes order by idx").df()
    con.register("_wanted", pa.table({"idx": idx}))
    frame = con.execute(f"select {NODE_COLUMNS} from _nodes semi join _wanted using (idx) order by idx").df()
    con.unregister("_wanted")
    return frame


def graph_arrays(con: duckdb.DuckDBPyConnection, unique_types: tuple[str, ...],
                 account_groups: dict[str, tuple[str, ...]]):
    """What the components need and nothing more (bench/identity_paths.py): the number of nodes, the
    links as int arrays, the nodes of each unique type and of each account group. The nightly step
    also reads the nodes' values and first sightings (`_node_frame`) to write its tables."""
    n, edges = _index(con)

    def of_types(types) -> np.ndarray:
        return con.execute("select idx from _nodes where list_contains(?, id_type) order by idx",
                           [list(types)]).fetchnumpy()["idx"].astype(np.int64)

    return (n, edges, {t: of_types([t]) for t in unique_types},
            {group: of_types(types) for group, types in account_groups.items()})


def resolve_identities(con: duckdb.DuckDBPyConnection, degree_cap: int, incremental: bool = True,
                       max_touched_share: float = MAX_TOUCHED_SHARE,
                       unique_types: tuple[str, ...] = UNIQUE_TYPES,
                       account_groups: dict[str, tuple[str, ...]] | None = None, *, secret: bytes) -> dict:
    """Resolve and write the identity schema. Incrementally when last run's state allows and few
    identifiers are touched, else in full; both give the same tables (tests/identity/test_incremental.py).
    `secret` (SIYU_PHONE_SALT) keys new customer ids (identity/registry.py)."""
    started = time.perf_counter()
    con.execute(DDL)
    n, edges = _index(con)
    left, right = np.asarray(edges["left_idx"], np.int64), np.asarray(edges["right_idx"], np.int64)
    unique_types = tuple(unique_types)
    account_groups = {group: tuple(types) for group, types in (account_groups or {}).items()}
    rules = rules_key(degree_cap, unique_types, account_groups)
    strong = np.asarray(edges["link_kind"], dtype=object) == "strong"
    scope = plan(con, n, left, right, strong, degree_cap, rules, incremental, max_touched_share)
    nodes = _node_frame(con, scope.touched)
    if scope.touched is not None:  # renumber the touched subgraph 0..m-1 (only hubs' links leave it)
        position = np.full(n, -1, dtype=np.int64)
        position[scope.touched] = np.arange(len(scope.touched))
        inside = (position[left] >= 0) & (position[right] >= 0)
        left, right, strong = position[left[inside]], position[right[inside]], strong[inside]
    node_types = nodes["id_type"].to_numpy()
    unique_nodes = {t: np.flatnonzero(node_types == t) for t in unique_types}
    account_nodes = {g: np.flatnonzero(np.isin(node_types, types)) for g, types in account_groups.items()}
    result = resolve(len(nodes), (left[strong], right[strong]), (left[~strong], right[~strong]),
                     unique_nodes, degree_cap, account_nodes=account_nodes)
    graph_seconds = time.perf_counter() - started

    nodes["label"] = result.labels
    reasons = {**result.rejected_phones, **result.cut_accounts}
    rejected_pos = np.fromiter(reasons, dtype=np.int64, count=len(reasons))
    rejected = nodes.iloc[rejected_pos][["id_type", "id_value", "records"]].assign(
        reason=[reasons[i] for i in rejected_pos]
    )
    # A rejected phone is nobody's identifier: drop it from the map instead of making it a customer.
    # An account whose strong links were cut keeps the customer its other links give (alone if none),
    # except a unionid left alone: it only ever bridges accounts, and it is the unionid of one of the
    # accounts it was cut from — as a customer of its own it would count one of them twice.
    out = list(result.rejected_phones) + _lone_cut_unionids(result, node_types)
    members = nodes.drop(index=nodes.index[np.array(out, dtype=np.int64)])
    previous, previous_customers = previous_state(con, scope)
    mapping, customers, changes = assign_ids(
        members[["id_type", "id_value", "first_seen_at", "label"]], previous, previous_customers,
        issued=lambda ids: _issued(con, ids), secret=secret,
    )
    frames = {"customer_map": mapping, "customers": customers,
              "rejected": rejected[["id_type", "id_value", "reason", "records"]]}
    _write(con, scope, rules, frames, changes)
    totals = con.execute("select (select count(*) from identity.customers),"
                         " (select count(*) from identity.rejected)").fetchone()
    return {
        "identifiers": n,
        "links": len(edges["left_idx"]),
        "customers_and_excluded_people": int(totals[0]),
        "rejected_identifiers": int(totals[1]),
        "merges": int((changes["change_type"] == "merge").sum()),
        "splits": int((changes["change_type"] == "split").sum()),
        **scope.metadata(n),
        "graph_seconds": round(graph_seconds, 2),
        "total_seconds": round(time.perf_counter() - started, 2),
    }


def _lone_cut_unionids(result, node_types: np.ndarray) -> list[int]:
    if not result.cut_accounts:
        return []
    sizes = np.bincount(result.labels, minlength=len(result.labels))
    return [node for node in result.cut_accounts
            if node_types[node] == "unionid" and sizes[result.labels[node]] == 1]


def _issued(con: duckdb.DuckDBPyConnection, ids) -> set[str]:
    """Which of `ids` an earlier run issued: a customer now, or one retired by a merge or split."""
    con.register("_candidates", pa.table({"customer_id": pa.array(list(ids), pa.string())}))
    found = con.execute("""
        select customer_id from _candidates semi join (
            select customer_id from identity.customers
            union all select old_customer_id from identity.changes
            union all select new_customer_id from identity.changes
        ) as issued using (customer_id)
    """).fetchnumpy()["customer_id"]
    con.unregister("_candidates")
    return set(found.tolist())


def _insert(con, frames: dict[str, pd.DataFrame], changes: pd.DataFrame) -> None:
    for table, frame in frames.items():
        con.register("_frame", frame)
        con.execute(f"insert into identity.{table} by name select * from _frame")
        con.unregister("_frame")
    if len(changes):
        con.register("_frame", changes)
        con.execute("insert into identity.changes by name select now() as changed_at, * from _frame")
        con.unregister("_frame")


def _write(con, scope: Scope, rules: str, frames: dict[str, pd.DataFrame], changes: pd.DataFrame) -> None:
    con.execute("begin")
    try:
        if scope.path == "incremental":
            write_incremental(con, scope, lambda c: _insert(c, frames, changes))
        else:
            for table in (*frames, "links"):
                con.execute(f"delete from identity.{table}")
            _insert(con, frames, changes)
            con.execute(f"insert into identity.links select {LINK_COLUMNS} from _links")
        con.execute("delete from identity.run_state")
        con.execute("insert into identity.run_state values (?, ?, now())", [rules, scope.path])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
