"""The published copy, opened read-only for each query.

DuckDB shares one database per path inside a process while any connection to it is open, and a
connection opened before the nightly swap keeps reading yesterday's file (README, "How BI tools
connect"). Each query here opens and closes its own connection, so no connection outlives a page
load and the next load reads tonight's copy. Opening a published copy costs ~1 ms: it reads the
catalogue, not the tables.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pandas as pd

ENV = "SIYU_DASHBOARD_PUBLISHED"  # set by `siyu dashboard` for the Streamlit process


class NotPublished(RuntimeError):
    """No published copy at the path: nothing has been published yet."""


def path() -> Path:
    value = os.environ.get(ENV)
    if not value:
        raise NotPublished(f"${ENV} is not set: start the dashboard with `siyu dashboard`")
    published = Path(value)
    if not published.is_file():
        raise NotPublished(f"no published copy at {published} yet: run `siyu run` (or `make demo`) first")
    return published


def query(sql: str, params: dict | None = None) -> pd.DataFrame:
    """The rows of one query, from a connection opened and closed around it. `params` may hold more
    than the query names (the page's filters): DuckDB refuses a named parameter the SQL lacks."""
    names = set(re.findall(r"\$(\w+)", sql))
    with duckdb.connect(str(path()), read_only=True) as con:
        # timestamps read as Beijing time: the marts' dates are Beijing dates (spec/marts.md)
        con.execute("set TimeZone = 'Asia/Shanghai'")
        return con.execute(sql, {k: v for k, v in (params or {}).items() if k in names}).df()


def has_table(schema: str, table: str) -> bool:
    """Whether the copy holds the table (a copy published before the quality summary has none)."""
    found = query(
        "select count(*) as n from information_schema.tables where table_schema = $schema "
        "and table_name = $table",
        {"schema": schema, "table": table},
    )
    return bool(found["n"].iloc[0])
