"""Opening the warehouse as every step of a night does (no Dagster here: the raw checks' own
process, quality/worker.py, opens it the same way)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from orchestration.salt import check_warehouse_salt

DEFAULT_MEMORY_LIMIT = "60%"


def duckdb_limits() -> dict:
    """DuckDB's memory cap and threads, shared with dbt's profile (the same variables): DuckDB takes
    80% of RAM by default, and the 1M-customer build peaked at 9.8 GB; 60% leaves the rest of a
    machine (the BI copy's readers, the Dagster webserver) room. Spills go to DuckDB's temp folder."""
    limits = {"memory_limit": os.environ.get("SIYU_DUCKDB_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT}
    if threads := os.environ.get("SIYU_DUCKDB_THREADS"):
        limits["threads"] = int(threads)
    return limits


@contextmanager
def open_warehouse(path: str | Path, salt: bytes) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writing connection in UTC, refused (orchestration.salt.SaltMismatch, a ConfigError) when the
    warehouse was built with another salt; closed on the way out."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), config=duckdb_limits())
    try:
        con.execute("set TimeZone = 'UTC'")
        check_warehouse_salt(con, salt)
        yield con
    finally:
        con.close()
