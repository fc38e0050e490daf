"""The raw layer as Parquet partitioned by table and business date, kept in step with DuckDB's raw
tables partition by partition (docs/engines.md, "Raw data for Spark").

    <folder>/raw/<source>__<entity>/_business_date=YYYY-MM-DD/<fingerprint>-<i>of<n>.parquet

Hive-style folders, which Spark (`partitioned by`) and DuckDB (`read_parquet(…, hive_partitioning
= true)`) both read as they are; `_business_date` is the folder's name, not a column of the files.

`sync` compares what each (table, business date) of DuckDB's `raw` holds with what the folder holds
and rewrites only the partitions that differ. A partition's fingerprint is its row count and two
order-free sums of 64-bit row hashes (every column, lineage included), with the table's columns and
types; it is the name of the partition's files, so the folder describes itself and no manifest can
disagree with it. Whatever changed raw — a new day, a re-delivered day, a day emptied, `siyu forget`
deleting rows or pruning a list, retention, a rekey, a hand-made SQL fix — changes the fingerprint
of the partitions it touched; nothing depends on each writer reporting what it did.

A table with no day yet (an entity a brand never delivered) is one empty file with its columns,
`<folder>/raw/<table>/empty.parquet`, to be read as a plain table (`Synced.partitioned` leaves it
out): Spark 4.3 fails a query over a partitioned table with no partition (`max(_business_date)` in
the staging snapshots: ArrayIndexOutOfBoundsException). The sync that finds its first day removes it.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

PARTITION = "_business_date"
# Changes when the same rows would be written otherwise (how JSON is stored, the hashes): every
# partition is then rewritten once.
LAYOUT = "siyu-raw-layer-1"
EMPTY = "empty.parquet"  # a table with no day yet
FILE = re.compile(r"([0-9a-f]{32})-(\d+)of(\d+)\.parquet")
# DuckDB types of raw tables (ingestion/contracts/ddl.py) as Spark's; JSON is written as text
SPARK_TYPES = {"VARCHAR": "string", "BIGINT": "bigint", "DOUBLE": "double", "BOOLEAN": "boolean",
               "DATE": "date", "TIMESTAMP WITH TIME ZONE": "timestamp", "JSON": "string",
               "VARCHAR[]": "array<string>", "INTEGER": "int"}


@dataclass
class Synced:
    """What one sync did, per table: partitions written, removed and left as they were; rows."""

    written: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # raw.<table>: Spark's column list
    empty: set[str] = field(default_factory=set)  # tables with no day: one empty file, read plain

    def partitioned(self) -> dict[str, str]:
        """{raw.<table>: Spark's column list} of the tables laid out by business date."""
        return {k: v for k, v in self.columns.items() if k.removeprefix("raw.") not in self.empty}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def spark_type(duckdb_type: str) -> str:
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type.lower()
    if duckdb_type not in SPARK_TYPES:
        raise ValueError(f"raw column type {duckdb_type} has no Spark type in engines/raw_layer.py")
    return SPARK_TYPES[duckdb_type]


def partitioned_tables(con) -> dict[str, list[tuple[str, str]]]:
    """{table: [(column, DuckDB type)]} of every raw table with a business date (the contracts')."""
    rows = con.execute(
        "select c.table_name, c.column_name, c.data_type from information_schema.columns c "
        "join information_schema.tables t using (table_catalog, table_schema, table_name) "
        "where c.table_catalog = current_database() and c.table_schema = 'raw' "
        "and t.table_type = 'BASE TABLE' order by c.table_name, c.ordinal_position"
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, []).append((column, kind))
    return {t: cols for t, cols in tables.items() if (PARTITION, "DATE") in cols}


def fingerprints(con, table: str, columns: list[tuple[str, str]]) -> dict[date, tuple[str, int]]:
    """{business date: (fingerprint, rows)} of a raw table, from one scan of it."""
    names = ", ".join(q(c) for c, _ in columns)
    found = con.execute(
        f"select {PARTITION}, count(*), sum(hash({names})), sum(hash('{LAYOUT}', {names})) "
        f"from raw.{q(table)} group by all"
    ).fetchall()
    shape = repr(columns)
    out = {}
    for day, n, h1, h2 in found:
        if day is None:  # Hive has no agreed name for a null partition: refuse rather than guess
            raise ValueError(f"raw.{table} holds {n} rows without a business date")
        digest = hashlib.md5(f"{LAYOUT}|{shape}|{n}|{h1}|{h2}".encode()).hexdigest()
        out[day] = (digest, n)
    return out


def held(table_dir: Path) -> dict[date, str | None]:
    """{business date: fingerprint} of the partitions a table's folder holds whole: None where the
    files are not exactly one fingerprint's complete set (a sync stopped half way, a stray file)."""
    out: dict[date, str | None] = {}
    for part in sorted(table_dir.glob(f"{PARTITION}=*")):
        try:
            day = date.fromisoformat(part.name.split("=", 1)[1])
        except ValueError:
            continue  # not a partition this module writes: removed by `sync`
        names = sorted(p.name for p in part.iterdir())
        found = [FILE.fullmatch(n) for n in names]
        prints = {m.group(1) for m in found if m}
        n = int(found[0].group(3)) if found and found[0] else 0
        whole = bool(found) and all(found) and len(prints) == 1 and n == len(names) and {
            int(m.group(2)) for m in found} == set(range(n))
        out[day] = prints.pop() if whole else None
    return out


def sync(warehouse: Path, folder: Path) -> Synced:
    """Make `<folder>/raw/` hold every raw table with a business date as DuckDB holds it, writing
    only the partitions whose fingerprint differs and removing those DuckDB no longer has."""
    done = Synced()
    root = folder / "raw"
    staging = folder / ".raw_layer_staging"  # outside every table's folder: never read
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("begin transaction")  # fingerprints and files of one snapshot of raw
        tables = partitioned_tables(con)
        for table, columns in tables.items():
            want = fingerprints(con, table, columns)
            table_dir = root / table
            table_dir.mkdir(parents=True, exist_ok=True)
            have = held(table_dir)
            stale = sorted(d for d, (fp, _) in want.items() if have.get(d) != fp)
            done.rows[table] = sum(n for _, n in want.values())
            done.columns[f"raw.{table}"] = ", ".join(f"`{c}` {spark_type(t)}" for c, t in columns)
            done.kept[table] = len(want) - len(stale)
            done.written[table] = len(stale)
            if stale:
                _write(con, table, columns, stale, {d: want[d][0] for d in stale}, table_dir, staging)
            gone = [p for p in table_dir.glob("*") if not _wanted(p, want)]
            done.removed[table] = sum(1 for p in gone if p.name.startswith(f"{PARTITION}="))
            for p in gone:
                shutil.rmtree(p) if p.is_dir() else p.unlink()
            if not want:
                _write_empty(con, table, columns, table_dir / EMPTY)
                done.empty.add(table)
        for dropped in root.glob("*/") if root.is_dir() else []:  # a table DuckDB no longer has
            if dropped.name not in tables and any(dropped.glob(f"{PARTITION}=*")):
                shutil.rmtree(dropped)
        con.execute("commit")
    return done


def _wanted(path: Path, want: dict[date, tuple[str, int]]) -> bool:
    if not path.is_dir() or not path.name.startswith(f"{PARTITION}="):
        return False
    try:
        return date.fromisoformat(path.name.split("=", 1)[1]) in want
    except ValueError:
        return False


def _select(columns) -> str:
    return ", ".join(f"cast({q(c)} as varchar) as {q(c)}" if t == "JSON" else q(c) for c, t in columns)


def _write_empty(con, table, columns, path: Path) -> None:
    """The table's columns in one file with no row, the business date a column of it."""
    target = str(path).replace("'", "''")
    con.execute(f"copy (select {_select(columns)} from raw.{q(table)} limit 0) to '{target}' "
                "(format parquet)")


def _write(con, table, columns, days: list[date], prints: dict[date, str], table_dir: Path,
           staging: Path) -> None:
    """The partitions `days` of a table, written in one COPY and moved into place one by one."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    select = _select(columns)
    marks = ", ".join("?" * len(days))
    path = str(staging).replace("'", "''")
    con.execute(
        f"copy (select {select} from raw.{q(table)} where {PARTITION} in ({marks})) to '{path}' "
        f"(format parquet, partition_by ({PARTITION}))", days,
    )
    for day in days:
        written = sorted((staging / f"{PARTITION}={day.isoformat()}").glob("*.parquet"))
        target = table_dir / f"{PARTITION}={day.isoformat()}"
        target.mkdir(parents=True, exist_ok=True)
        if not written:
            raise RuntimeError(f"raw.{table}: no Parquet file written for {day}")
        old = list(target.iterdir())
        names = [f"{prints[day]}-{i}of{len(written)}.parquet" for i in range(len(written))]
        for p, name in zip(written, names, strict=True):
            p.rename(target / name)  # replaces a file of the name, left by a sync that stopped
        for p in old:
            if p.name not in names:
                p.unlink()
    shutil.rmtree(staging)
