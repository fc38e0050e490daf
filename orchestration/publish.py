"""Publish the marts to a separate DuckDB file for BI tools.

DuckDB allows one writer and a reader blocks a writer, so dashboards never open the warehouse the
pipeline writes: they open this copy, which is rebuilt beside it and swapped in atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("marts",)
# A spreadsheet opened on an export runs a cell that starts with one of these as a formula
# (`=HYPERLINK(…)` from a crafted group name or campaign id): published text starting with one is
# prefixed with an apostrophe, which spreadsheets read as "this is text".
FORMULA_START = r"^[=+@\t\r-]"


def _neutralised(con, schema: str, table: str) -> str:
    """The select list of a table with every text column's formula-like values neutralised."""
    cols = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, table],
    ).fetchall()
    out = []
    for name, data_type in cols:
        q = '"' + name.replace('"', '""') + '"'
        if data_type == "VARCHAR":
            formula = f"regexp_matches({q}, '{FORMULA_START}')"
            out.append(f"case when {formula} then chr(39) || {q} else {q} end as {q}")
        else:
            out.append(q)
    return ", ".join(out)


def publish(
    con: duckdb.DuckDBPyConnection, published: Path, schemas: tuple[str, ...] = PUBLISHED_SCHEMAS
) -> dict:
    """Copy every table and view of `schemas` into a fresh file, then replace `published` with it."""
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(published.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con.execute("attach '" + str(tmp).replace("'", "''") + "' as publish_target")
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
                columns = _neutralised(con, schema, table)
                source = f'{schema}."{table}"'
                con.execute(f"create table publish_target.{source} as select {columns} from {source}")
                counts[f"{schema}.{table}"] = con.execute(
                    f'select count(*) from publish_target.{schema}."{table}"'
                ).fetchone()[0]
    finally:
        con.execute("detach publish_target")
    os.replace(tmp, published)
    return counts
