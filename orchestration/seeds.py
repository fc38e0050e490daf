"""Seeds, and the models built from seeds alone, rebuilt by `siyu run` only when something they are
built from changed.

Every night rebuilt the 8 seeds and int_funnel__steps (the one model reading only seeds) and ran
their 48 tests, for the same rows: a dbt invocation of its own (Dagster runs what reads no landing
table apart from what does), ~7 s of a demo night. `siyu run` leaves them out when, since a night
that built them and finished, neither changed:
- the dbt project: every file of it (a seed's CSV, a model, a test, dbt_project.yml's vars), the env
  vars it reads and dbt's version — the state that decides whether dbt parses again
  (orchestration/dbtparse.py);
- the tables in the warehouse: each one's columns and a digest of its rows (someone dropped or
  edited one: it is rebuilt).
A test that reads only these tables, with the same SQL, gives the result it gave that night, so it
is not re-run; tests that read them with other models (a relationship from a mart to a seed) run
with those models as before. Dagster shows their last materialization and evaluation.

A brand that edits a seed's CSV changed the project: the next `siyu run` loads it and runs its
tests. `siyu run --full-refresh` (and a night after a rebuild request) always rebuilds them. Runs
from the UI, the schedule and the sensor rebuild everything, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from orchestration.dbtparse import project_state

TABLE = "raw._seeds_built"  # beside raw._landing_fingerprints: what the models were built from


def seed_only_nodes(manifest: Mapping[str, Any]) -> list[str]:
    """The seeds and every model whose inputs are all seeds or such models (unique ids, sorted)."""
    nodes, parents = manifest["nodes"], manifest["parent_map"]
    known: dict[str, bool] = {}

    def seed_only(uid: str) -> bool:
        if uid not in known:
            node = nodes.get(uid)  # a source is not a node: not seed-only
            known[uid] = node is not None and (
                node["resource_type"] == "seed"
                or (node["resource_type"] == "model" and bool(parents.get(uid))
                    and all(seed_only(p) for p in parents[uid]))
            )
        return known[uid]

    return sorted(uid for uid in nodes if seed_only(uid))


def _table_digest(con, schema: str, name: str) -> str:
    columns = con.execute(
        "select column_name, data_type from information_schema.columns where table_catalog = "
        "current_database() and table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()
    if not columns:
        return "missing"
    # a sum of row hashes: the same whatever order the rows were written in, and duplicates count
    sql = f'select count(*), sum(hash(t)::hugeint) from "{schema}"."{name}" as t'
    rows, total = con.execute(sql).fetchone()
    return f"{columns}|{rows}|{total}"


def state(con, manifest: Mapping[str, Any], project: str | None = None) -> str:
    """What the seed-only tables are built from and what they hold, as one hash."""
    digest = hashlib.sha256((project or project_state()).encode())
    for uid in seed_only_nodes(manifest):
        node = manifest["nodes"][uid]
        digest.update(f"\0{uid}\0{_table_digest(con, node['schema'], node['alias'])}".encode())
    return digest.hexdigest()


def built_state(con) -> str | None:
    """The state recorded by the last night that built the seed-only tables and finished."""
    found = con.execute(
        "select 1 from information_schema.tables where table_catalog = current_database() "
        "and table_schema = 'raw' and table_name = '_seeds_built'"
    ).fetchone()
    if not found:
        return None
    row = con.execute(f"select state from {TABLE} order by built_at desc limit 1").fetchone()
    return row[0] if row else None


def record_built(con, manifest: Mapping[str, Any]) -> None:
    """After a night that built them and finished: what they were built from and hold now."""
    now = state(con, manifest)
    con.execute("create schema if not exists raw")
    con.execute(f"create table if not exists {TABLE} (state varchar, built_at timestamptz)")
    con.execute(f"delete from {TABLE}")
    con.execute(f"insert into {TABLE} values (?, now())", [now])
