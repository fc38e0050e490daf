"""Publish the marts to a separate DuckDB file for BI tools.

DuckDB allows one writer and a reader blocks a writer, so dashboards never open the warehouse the
pipeline writes: they open this copy, which is rebuilt beside it and swapped in atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("marts",)


def publish(con: duckdb.DuckDBPyConnection, published: Path, schemas: tuple[str, ...] = PUBLISHED_SCHEMAS) -> dict:
    """Copy every table and view of `schemas` into a fresh file, then replace `published` with it."""
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(published.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con.execute(f"attach '{tmp}' as publish_target")
    counts: dict[str, int] = {}
    try:
        for schema in schemas:
            con.execute(f"create schema if not exists publish_target.{schema}")
            tables = con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = current_database() and table_schema = ? order by table_name",
                [schema],
            ).fetchall()
            for (table,) in tables:
                con.execute(f'create table publish_target.{schema}."{table}" as select * from {schema}."{table}"')
                counts[f"{schema}.{table}"] = con.execute(
                    f'select count(*) from publish_target.{schema}."{table}"'
                ).fetchone()[0]
    finally:
        con.execute("detach publish_target")
    os.replace(tmp, published)
    return counts
