"""The warehouse side of loading: schema `raw` with one table per contract (DDL from the contracts),
raw._quarantine and raw._load_log. Creating is idempotent; a contract that gained fields adds the
missing columns to an existing table (old rows read NULL there)."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from ingestion.contracts import CONTRACTS, Contract
from ingestion.contracts.ddl import raw_columns

SCHEMA = "raw"
QUARANTINE = "_quarantine"
LOAD_LOG = "_load_log"
QUARANTINE_COLUMNS = (
    ("source", "VARCHAR"),
    ("entity", "VARCHAR"),
    ("business_date", "DATE"),
    ("file", "VARCHAR"),  # relative to the landing root
    ("row_number", "BIGINT"),  # record number in the file; NULL for a whole file
    ("reason", "VARCHAR"),  # a QUARANTINE_REASONS code
    ("detail", "VARCHAR"),  # which field and value (never a phone or a personal field)
    ("record", "JSON"),  # the row without personal fields, phones as hash and kind
    ("quarantined_at", "TIMESTAMPTZ"),
)
LOAD_LOG_COLUMNS = (
    ("source", "VARCHAR"),
    ("entity", "VARCHAR"),
    ("business_date", "DATE"),
    ("file", "VARCHAR"),
    ("encoding", "VARCHAR"),
    ("rows_offered", "BIGINT"),
    ("rows_loaded", "BIGINT"),
    ("duplicates", "BIGINT"),
    ("quarantined", "BIGINT"),
    ("suppressed", "BIGINT"),  # records of people erased on request, dropped (erasure/suppression.py)
    ("extra_columns", "VARCHAR[]"),  # columns/keys the contract does not know (schema drift)
    ("loaded_at", "TIMESTAMPTZ"),
)
# Arrow types of the quarantine rows the loader inserts (quarantined_at is set by the database).
QUARANTINE_ARROW = pa.schema(
    [
        ("source", pa.string()),
        ("entity", pa.string()),
        ("business_date", pa.date32()),
        ("file", pa.string()),
        ("row_number", pa.int64()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("record", pa.string()),
    ]
)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ensure_table(con, table: str, columns) -> None:
    """Create the table, or add the columns it lacks. Reading an empty select's column names costs
    0.5 ms against 5-7 ms for a catalog query: this runs once per loaded partition."""
    try:
        have = {d[0] for d in con.execute(f"select * from {SCHEMA}.{q(table)} limit 0").description}
    except duckdb.CatalogException:
        body = ", ".join(f"{q(n)} {t}" for n, t in columns)
        con.execute(f"create table if not exists {SCHEMA}.{q(table)} ({body})")
        return
    # phones' last-4 digits were stored beside their hash until they were found to narrow a weak
    # salt's search to ~7x10^5 numbers: a warehouse that still has them loses them on its next load
    for stale in sorted(c for c in have if c.endswith("_last4")):
        con.execute(f"alter table {SCHEMA}.{q(table)} drop column {q(stale)}")
    for name, sql_type in columns:
        if name not in have:
            con.execute(f"alter table {SCHEMA}.{q(table)} add column {q(name)} {sql_type}")


def ensure_tables(con, contracts: list[Contract]) -> None:
    con.execute(f"create schema if not exists {SCHEMA}")
    for c in contracts:
        ensure_table(con, c.table, raw_columns(c))
    ensure_table(con, QUARANTINE, QUARANTINE_COLUMNS)
    ensure_table(con, LOAD_LOG, LOAD_LOG_COLUMNS)


def ensure_raw_schema(con) -> None:
    """Schema `raw` with every raw table (even empty), raw._quarantine and raw._load_log."""
    ensure_tables(con, list(CONTRACTS.values()))


def insert_quarantine(con, source: str | None, entity: str | None, day, file: str, rows: list[tuple]) -> None:
    """Insert (row_number, reason, detail, record) rows of one file in one statement."""
    insert_quarantine_files(con, source, entity, [(day, file, rows)])


def insert_quarantine_files(con, source: str | None, entity: str | None, files: list[tuple]) -> None:
    """Insert the (row_number, reason, detail, record) rows of several (day, file, rows) in one
    statement: a load of many small day files would otherwise pay a statement per file."""
    sizes = [len(rows) for _, _, rows in files]
    n = sum(sizes)
    if not n:
        return
    row_numbers, reasons, details, records = zip(*(r for _, _, rows in files for r in rows), strict=True)
    per_file = pa.array(np.repeat(np.arange(len(files)), sizes))
    table = pa.Table.from_arrays(
        [
            pa.array([source] * n, pa.string()),
            pa.array([entity] * n, pa.string()),
            pa.array([d for d, _, _ in files], pa.date32()).take(per_file),
            pa.array([f for _, f, _ in files], pa.string()).take(per_file),
            pa.array(row_numbers, pa.int64()),
            pa.array(reasons, pa.string()),
            pa.array(details, pa.string()),
            pa.array(records, pa.string()),
        ],
        schema=QUARANTINE_ARROW,
    )
    _insert_arrow(con, QUARANTINE, table, "quarantined_at")


def insert_load_log(con, table: pa.Table) -> None:
    """Insert load-log rows (every column but loaded_at, which is the transaction's time)."""
    _insert_arrow(con, LOAD_LOG, table, "loaded_at")


def _insert_arrow(con, target: str, table: pa.Table, stamp: str) -> None:
    con.register("_siyu_rows", table)
    try:
        names = ", ".join(q(n) for n in table.column_names)
        con.execute(f"insert into {SCHEMA}.{target} ({names}, {stamp}) select {names}, now() from _siyu_rows")
    finally:
        con.unregister("_siyu_rows")
