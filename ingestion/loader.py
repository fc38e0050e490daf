"""Load one landing partition (source, entity, business date) into raw.<source>__<entity>.

The day is replaced as a whole in one transaction: its rows in the raw table, raw._quarantine and
raw._load_log are deleted, every file of the folder is read in batches, and rows go to a staging
table; exact duplicates (same record hash within the day) are dropped when the day is written.
Every row offered is loaded, counted as a duplicate, or quarantined with a reason. A file that
cannot be read at all raises LandingFileError and rolls the day back to what was there before.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
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
from .phone_columns import PhoneHasher
from .quarantine import quarantine_rows
from .rawdb import LOAD_LOG, QUARANTINE, SCHEMA, ensure_raw_schema, ensure_tables, insert_quarantine, q
from .readers import MAX_BATCH_BYTES, FileInfo, LandingFileError, read_file
from .results import FileResult, LoadResult, totals
from .strays import FOLDER_REASONS, record_unknown_files

__all__ = [
    "FileResult",
    "LandingFileError",
    "LoadResult",
    "ensure_raw_schema",
    "load_partition",
    "record_unknown_files",
]
LINEAGE = "_business_date, _file, _row_number, _record_hash, _encoding"
# Keyed by the salt so that a record's hash cannot confirm a guessed phone or name in it.
RECORD_HASH = "md5(? || _record)"
# Rows gathered before one INSERT: a DuckDB row group (122,880 rows) written whole is written
# once; many small appends cost ~30% more CPU and a slow commit (measured on 1M rows).
INSERT_ROWS = 122_880
# Files up to 1 MiB (a few thousand rows) are read in the caller's thread: starting and syncing
# a reader thread costs more than the overlap it buys there.
SMALL_FILE = 1 << 20


def load_partition(
    con,
    landing_dir: Path,
    source: str,
    entity: str,
    business_date: date,
    salt: bytes,
    batch_rows: int = 50_000,
) -> LoadResult:
    """Replace one day of raw.<source>__<entity> (and its quarantine and load-log rows) with what
    the day folder holds now, in one transaction. Raises LandingFileError, leaving the previous
    load of the day as it was, when a file cannot be read at all."""
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
            con.execute(
                f"delete from {SCHEMA}.{QUARANTINE} where source = ? and entity = ? "
                f"and business_date = ? and reason not in {FOLDER_REASONS}",
                key,
            )
            con.execute(
                f"delete from {SCHEMA}.{LOAD_LOG} where source = ? and entity = ? and business_date = ?", key
            )
            files = [
                _load_file(con, landing_dir, p, contract, ctx, batch_rows)
                for p in partition_files(landing_dir, source, entity, business_date)
            ]
            _drop_duplicates(con, table, business_date, files)
            _log(con, contract, business_date, files)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return totals(source, entity, business_date, files)


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
        detail = (
            f"{contract.source}/{contract.entity} accepts {', '.join(contract.formats)}, not '{path.suffix}'"
        )
        insert_quarantine(
            con, contract.source, contract.entity, day, rel, [(None, "unsupported_format", detail, None)]
        )
        fr.offered = fr.quarantined = 1  # the file counts as one unit: its rows cannot be counted
        fr.reasons["unsupported_format"] = 1
        return fr
    info = FileInfo(rel, fmt)
    cols = ", ".join(q(n) for n, _ in raw_columns(contract) if not n.startswith("_"))
    insert = (
        f"insert into {SCHEMA}.{q(contract.table)} ({cols}, {LINEAGE}, _loaded_at) select {cols}, ?, ?, "
        f"_row_number, {RECORD_HASH}, ?, now() from _siyu_batch where _ok"
    )
    pending: list = []

    def flush() -> None:
        con.register("_siyu_batch", pa.concat_tables(pending))
        try:
            con.execute(insert, [day, rel, ctx.hasher.salt.hex(), info.encoding])
        finally:
            con.unregister("_siyu_batch")
        pending.clear()

    prepared = _prepared(path, info, contract, ctx, batch_rows)
    if path.stat().st_size > SMALL_FILE:
        prepared = in_background(prepared)
    for offered, good, codes, rows in prepared:
        fr.offered += offered
        n_ok = int(np.count_nonzero(codes == 0))
        if n_ok:
            pending.append(good)
            fr.loaded += n_ok
            if (
                sum(t.num_rows for t in pending) >= INSERT_ROWS
                or sum(t.nbytes for t in pending) >= MAX_BATCH_BYTES
            ):
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
    ranked = (
        "select rowid as rid, _file, "
        "row_number() over (partition by _record_hash order by _file, _row_number) as n "
        f"from {table} where _business_date = ?"
    )
    dups = dict(
        con.execute(f"select _file, count(*) from ({ranked}) where n > 1 group by _file", [day]).fetchall()
    )
    if dups:
        con.execute(f"delete from {table} where rowid in (select rid from ({ranked}) where n > 1)", [day])
    for fr in files:
        fr.duplicates = dups.get(fr.file, 0)
        fr.loaded -= fr.duplicates


def _log(con, contract, day: date, files: list[FileResult]) -> None:
    if files:
        values = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"] * len(files))
        params = [
            v
            for fr in files
            for v in (
                contract.source,
                contract.entity,
                day,
                fr.file,
                fr.encoding,
                fr.offered,
                fr.loaded,
                fr.duplicates,
                fr.quarantined,
                fr.extra_columns,
            )
        ]
        con.execute(f"insert into {SCHEMA}.{LOAD_LOG} values {values}", params)
