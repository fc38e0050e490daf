"""Identity resolution against the warehouse: read identifiers and links, write the identity schema.

Input (dbt intermediate models):
  intermediate.int_identity__nodes  id_type, id_value, first_seen_at, records, is_linkable, block_reason
  intermediate.int_identity__links  left_type, left_value, right_type, right_value, link_kind (strong|phone)
Output (schema `identity`, read back by dbt as sources):
  customer_map (id_type, id_value, customer_id)   customers (customer_id, first_seen_at)
  changes (changed_at, change_type, old_customer_id, new_customer_id) — appended, one row per change
  rejected (id_type, id_value, reason, records)   — identifiers kept out of linking by the graph rules
"""

from __future__ import annotations

import time

import duckdb
import numpy as np
import pandas as pd

from identity.components import resolve
from identity.registry import assign_ids

UNIQUE_TYPES = ("unionid", "external_userid")

DDL = """
create schema if not exists identity;
create table if not exists identity.customer_map (id_type varchar, id_value varchar, customer_id varchar);
create table if not exists identity.customers (customer_id varchar, first_seen_at timestamptz);
create table if not exists identity.changes (
    changed_at timestamptz, change_type varchar, old_customer_id varchar, new_customer_id varchar);
create table if not exists identity.rejected (id_type varchar, id_value varchar, reason varchar, records bigint);
"""


def _graph(con: duckdb.DuckDBPyConnection):
    """Linkable nodes numbered 0..n-1 and both edge kinds as int arrays, mapped inside DuckDB."""
    con.execute("""
        create or replace temp table _nodes as
        select row_number() over (order by id_type, id_value) - 1 as idx, id_type, id_value, first_seen_at, records
        from intermediate.int_identity__nodes where is_linkable
    """)
    edges = con.execute("""
        select l.idx as left_idx, r.idx as right_idx, k.link_kind
        from intermediate.int_identity__links as k
        inner join _nodes as l on l.id_type = k.left_type and l.id_value = k.left_value
        inner join _nodes as r on r.id_type = k.right_type and r.id_value = k.right_value
    """).fetchnumpy()
    nodes = con.execute("select idx, id_type, id_value, first_seen_at, records from _nodes order by idx").df()
    return nodes, edges


def resolve_identities(con: duckdb.DuckDBPyConnection, degree_cap: int) -> dict:
    started = time.perf_counter()
    con.execute(DDL)
    nodes, edges = _graph(con)
    n = len(nodes)
    kind = np.asarray(edges["link_kind"], dtype=object)
    left, right = np.asarray(edges["left_idx"], np.int64), np.asarray(edges["right_idx"], np.int64)
    strong, phone = kind == "strong", kind == "phone"
    unique_nodes = {t: nodes.index[nodes["id_type"] == t].to_numpy(np.int64) for t in UNIQUE_TYPES}
    result = resolve(n, (left[strong], right[strong]), (left[phone], right[phone]), unique_nodes, degree_cap)
    graph_seconds = time.perf_counter() - started

    nodes["label"] = result.labels
    rejected_idx = np.fromiter(result.rejected_phones.keys(), dtype=np.int64, count=len(result.rejected_phones))
    rejected = nodes.loc[rejected_idx, ["id_type", "id_value", "records"]].assign(
        reason=[result.rejected_phones[i] for i in rejected_idx]
    )
    # A rejected phone is nobody's identifier: drop it from the map instead of making it a customer.
    members = nodes.drop(index=rejected_idx)
    previous = con.execute("select id_type, id_value, customer_id from identity.customer_map").df()
    previous_customers = con.execute("select customer_id, first_seen_at from identity.customers").df()
    mapping, customers, changes = assign_ids(
        members[["id_type", "id_value", "first_seen_at", "label"]], previous, previous_customers
    )
    _write(con, mapping, customers, changes, rejected[["id_type", "id_value", "reason", "records"]])
    return {
        "identifiers": n,
        "links": len(left),
        "customers_and_excluded_people": int(customers["customer_id"].nunique()),
        "rejected_identifiers": len(rejected),
        "merges": int((changes["change_type"] == "merge").sum()),
        "splits": int((changes["change_type"] == "split").sum()),
        "graph_seconds": round(graph_seconds, 2),
        "total_seconds": round(time.perf_counter() - started, 2),
    }


def _write(con, mapping: pd.DataFrame, customers: pd.DataFrame, changes: pd.DataFrame, rejected: pd.DataFrame):
    con.execute("begin")
    try:
        for table, frame in (("customer_map", mapping), ("customers", customers), ("rejected", rejected)):
            con.register("_frame", frame)
            con.execute(f"delete from identity.{table}")
            con.execute(f"insert into identity.{table} by name select * from _frame")
            con.unregister("_frame")
        if len(changes):
            con.register("_frame", changes)
            con.execute("insert into identity.changes by name select now() as changed_at, * from _frame")
            con.unregister("_frame")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
