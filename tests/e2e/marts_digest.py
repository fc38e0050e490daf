"""A digest of every table of a schema (the marts by default): equal digests mean equal tables, row
for row and value for value."""

from __future__ import annotations

from pathlib import Path

import duckdb

# Each customer named by its smallest identifier instead of its id: a customer id is stable across
# runs by design (a merge keeps the oldest id), so which id a customer carries depends on the runs it
# went through, not on what the data says.
CANONICAL = (
    "(select customer_id, min(id_type || ':' || id_value) as canonical "
    "from marts.identity_map where customer_id is not null group by customer_id)"
)


# Columns stamped with the wall clock of the run that wrote them (identity_changes logs when a merge
# or split was noticed): two runs over the same data differ there and nowhere else.
RUN_CLOCK = {"identity_changes": "changed_at"}


def _select(con, table: str, canonical_ids: bool, schema: str = "marts") -> str:
    if not canonical_ids:
        return (
            f"select * exclude ({RUN_CLOCK[table]}) from {schema}.{table}"
            if schema == "marts" and table in RUN_CLOCK
            else (f"select * from {schema}.{table}")
        )
    cols = [
        c
        for (c,) in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
    ]
    out, joins = [], []
    for i, c in enumerate(cols):
        if c == RUN_CLOCK.get(table):
            continue
        if c.endswith("customer_id"):
            joins.append(f"left join {CANONICAL} as k{i} on k{i}.customer_id = t.{c}")
            out.append(f"coalesce(k{i}.canonical, t.{c}) as {c}")
        else:
            out.append(f"t.{c}")
    return f"select {', '.join(out)} from marts.{table} as t {' '.join(joins)}"


def marts_digest(
    warehouse: Path, canonical_ids: bool = False, schema: str = "marts"
) -> dict[str, tuple[int, str]]:
    """Per table (or view) of `schema`: its row count and the md5 of its rows' text, sorted (so the
    digest does not depend on the order a query happened to write the rows in); with
    `canonical_ids` (marts only), customers are named by their smallest identifier rather than
    their id."""
    assert schema == "marts" or not canonical_ids, "canonical ids are read from marts.identity_map"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ? order by 1",
                [schema],
            ).fetchall()
        ]
        return {
            t: con.execute(
                f"select count(*), md5(coalesce(string_agg(m::varchar, chr(10) order by m::varchar), '')) "
                f"from ({_select(con, t, canonical_ids, schema)}) as m"
            ).fetchone()
            for t in tables
        }


def differences(a: dict, b: dict) -> list[str]:
    """The tables whose digests differ (or that only one side has), for an assertion message."""
    return sorted(t for t in a.keys() | b.keys() if a.get(t) != b.get(t))
