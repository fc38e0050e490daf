"""A digest of every mart table: equal digests mean equal tables, row for row and value for value."""

from __future__ import annotations

from pathlib import Path

import duckdb


def marts_digest(warehouse: Path) -> dict[str, tuple[int, str]]:
    """Per table of schema `marts`: its row count and the md5 of its rows' text, sorted (so the
    digest does not depend on the order a query happened to write the rows in)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            t: con.execute(
                f"select count(*), md5(coalesce(string_agg(m::varchar, chr(10) order by m::varchar), '')) "
                f"from marts.{t} as m"
            ).fetchone()
            for t in tables
        }


def differences(a: dict, b: dict) -> list[str]:
    """The tables whose digests differ (or that only one side has), for an assertion message."""
    return sorted(t for t in a.keys() | b.keys() if a.get(t) != b.get(t))
