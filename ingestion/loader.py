"""Load one landing partition (source, entity, business date) into raw.<source>__<entity>.

The day is replaced as a whole in one transaction: its rows in the raw table, raw._quarantine and
raw._load_log are deleted, every file of the folder is read in batches, and rows go to a staging
table; exact duplicates (same record hash within the day) are dropped when the day is written.
Every row offered is loaded, counted as a duplicate, or quarantined with a reason. A file that
cannot be read at all raises LandingFileError and rolls the day back to what was there before.
"""

from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from ingestion import contracts
from ingestion.contracts.ddl import raw_columns

from .background import in_background
from .convert import REASONS
from .landing import partition_files
from .normalise import Context, normalise_batch
from .phones import PhoneHasher
from .quarantine import quarantine_rows
from .rawdb import LOAD_LOG, QUARANTINE, SCHEMA, ensure_raw_schema, ensure_tables, insert_quarantine, q
from .readers import MAX_BATCH_BYTES, FileInfo, LandingFileError, read_file
from .strays import FOLDER_REASONS, record_unknown_files

__all__ = ["FileResult", "LandingFileError", "LoadResult", "ensure_raw_schema", "load_partition",
           "record_unknown_files"]
LINEAGE = "_business_date, _file, _row_number, _record_hash, _encoding"
# Keyed by the salt so that a record's hash cannot confirm a guessed phone or name in it.
RECORD_HASH = "md5(? || _record)"
# Rows gathered before one INSERT: a DuckDB row group (122,880 rows) written whole is written
# once; many small appends cost ~30% more CPU and a slow commit (measured on 1M rows).
INSERT_ROWS = 122_880


@dataclass
class FileResult:
    file: str
    encoding: str = ""
    offered: int = 0
    loaded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    extra_columns: list[str] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)


@dataclass
class LoadResult:
    source: str
    entity: str
    business_date: date
    rows_offered: int = 0
    rows_loaded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    files: list[FileResult] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)


def load_partition(con, landing_dir: Path, source: str, entity: str, business_date: date, salt: bytes,
                   batch_rows: int = 50_000) -> LoadResult:
    contract = contracts.get(source, entity)
    landing_dir = Path(landing_dir)
    ensure_tables(con, [contract])
    ctx = Context(business_date, PhoneHasher(salt))
    table = f"{SCHEMA}.{q(contract.table)}"
    key = [source, entity, business_date]
    with _gc_paused():
        con.execute("begin transaction")
        try:
            con.execute(f"delete from {table} where _business_date = ?", [business_date])
            con.execute(f"delete from {SCHEMA}.{QUARANTINE} where source = ? and entity = ? "
                        f"and business_date = ? and reason not in {FOLDER_REASONS}", key)
            con.execute(f"delete from {SCHEMA}.{LOAD_LOG} where source = ? and entity = ? and business_date = ?", key)
            files = [_load_file(con, landing_dir, p, contract, ctx, batch_rows)
                     for p in partition_files(landing_dir, source, entity, business_date)]
            _drop_duplicates(con, table, business_date, files)
            _log(con, contract, business_date, files)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return _result(source, entity, business_date, files)


@contextmanager
def _gc_paused():
    """Loading allocates millions of short-lived objects and creates no reference cycles; Python's
    cyclic GC would rescan them all again and again (measured: 3x slower parsing)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _prepared(path: Path, info: FileInfo, contract, ctx: Context, batch_rows: int):
    for batch in read_file(path, info, contract, batch_rows):
        norm = normalise_batch(batch, info, contract, ctx)
        yield len(batch), norm.good, norm.codes, quarantine_rows(contract, batch, info, norm)


def _load_file(con, landing_dir: Path, path: Path, contract, ctx: Context, batch_rows: int) -> FileResult:
    rel = path.relative_to(landing_dir).as_posix()
    fmt = path.suffix.lower().lstrip(".")
    day = ctx.business_date
    fr = FileResult(rel)
    if fmt not in contract.formats:
        detail = f"{contract.source}/{contract.entity} accepts {', '.join(contract.formats)}, not '{path.suffix}'"
        insert_quarantine(con, contract.source, contract.entity, day, rel, [(None, "unsupported_format", detail, None)])
        fr.offered = fr.quarantined = 1  # the file counts as one unit: its rows cannot be counted
        fr.reasons["unsupported_format"] = 1
        return fr
    info = FileInfo(rel, fmt)
    cols = ", ".join(q(n) for n, _ in raw_columns(contract) if not n.startswith("_"))
    insert = (f"insert into {SCHEMA}.{q(contract.table)} ({cols}, {LINEAGE}, _loaded_at) select {cols}, ?, ?, "
              f"_row_number, {RECORD_HASH}, ?, now() from _siyu_batch")
    pending: list = []

    def flush() -> None:
        con.register("_siyu_batch", pa.concat_tables(pending))
        try:
            con.execute(insert, [day, rel, ctx.hasher.salt.hex(), info.encoding])
        finally:
            con.unregister("_siyu_batch")
        pending.clear()

    for offered, good, codes, rows in in_background(_prepared(path, info, contract, ctx, batch_rows)):
        fr.offered += offered
        if good.num_rows:
            pending.append(good)
            fr.loaded += good.num_rows
            if sum(t.num_rows for t in pending) >= INSERT_ROWS or sum(t.nbytes for t in pending) >= MAX_BATCH_BYTES:
                flush()
        insert_quarantine(con, contract.source, contract.entity, day, rel, rows)
        counts = np.bincount(codes, minlength=len(REASONS))
        fr.reasons.update({REASONS[i]: int(c) for i, c in enumerate(counts) if i and c})
        fr.quarantined += len(rows)
    if pending:
        flush()
    fr.encoding, fr.extra_columns = info.encoding, sorted(info.extra_columns)
    return fr


def _drop_duplicates(con, table: str, day: date, files: list[FileResult]) -> None:
    """Keep the first copy of each record hash in the day (by file name, then row); count the rest
    against the file they came in."""
    con.execute(
        f"create or replace temp table _siyu_dups as select rowid as rid, _file from ("
        f"select rowid, _file, row_number() over (partition by _record_hash order by _file, _row_number) as n "
        f"from {table} where _business_date = ?) where n > 1", [day])
    dups = dict(con.execute("select _file, count(*) from _siyu_dups group by _file").fetchall())
    if dups:
        con.execute(f"delete from {table} where rowid in (select rid from _siyu_dups)")
    con.execute("drop table _siyu_dups")
    for fr in files:
        fr.duplicates = dups.get(fr.file, 0)
        fr.loaded -= fr.duplicates


def _log(con, contract, day: date, files: list[FileResult]) -> None:
    if files:
        con.executemany(
            f"insert into {SCHEMA}.{LOAD_LOG} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
            [[contract.source, contract.entity, day, fr.file, fr.encoding, fr.offered, fr.loaded,
              fr.duplicates, fr.quarantined, fr.extra_columns] for fr in files])


def _result(source: str, entity: str, day: date, files: list[FileResult]) -> LoadResult:
    res = LoadResult(source, entity, day, files=files)
    reasons: Counter = Counter()
    for fr in files:
        res.rows_offered += fr.offered
        res.rows_loaded += fr.loaded
        res.duplicates += fr.duplicates
        res.quarantined += fr.quarantined
        reasons.update({k: v for k, v in fr.reasons.items() if k != "duplicate"})
    res.reasons = dict(sorted(reasons.items()))
    res.extra_columns = sorted({c for fr in files for c in fr.extra_columns})
    return res
