"""Load landing days (source, entity, business date) into raw.<source>__<entity>.

Each day is replaced as a whole: its rows in the raw table, raw._quarantine and raw._load_log are
deleted, every file of its folder is read in batches and its rows are written; exact duplicates
(same record hash within the day) are dropped. Every row offered is loaded, counted as a
duplicate, quarantined with a reason, or dropped as a record of a person erased on request
(ingestion/erasure/suppression.py).

Several days of an entity share one transaction (load_days): a transaction per day cost ~74 ms
of fixed work (commit ~26 ms of it), which on a landing of 1,000 day folders of ~2,400 rows each
took more time than reading the rows. A file that cannot be read at all raises LandingFileError,
naming the file: its day and every later day of the call keep what earlier loads left, and the
days before it are loaded and committed, exactly as loading day by day would leave them.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from ingestion import contracts
from ingestion.erasure.suppression import Suppressor
from ingestion.load.background import in_order
from ingestion.load.pieces import file_readers
from ingestion.normalise.phone_columns import PhoneHasher
from ingestion.read.readers import LandingFileError
from ingestion.write.rawdb import ensure_raw_schema, ensure_tables
from ingestion.write.rawwriter import RawWriter
from ingestion.write.results import FileResult, LoadResult, totals
from ingestion.write.strays import record_unknown_files

__all__ = [
    "FileResult",
    "LandingFileError",
    "LoadResult",
    "ensure_raw_schema",
    "load_days",
    "load_partition",
    "record_unknown_files",
]


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
    return load_days(con, landing_dir, source, entity, [business_date], salt, batch_rows)[0]


def load_days(
    con,
    landing_dir: Path,
    source: str,
    entity: str,
    days: list[date],
    salt: bytes,
    batch_rows: int = 50_000,
    phones: PhoneHasher | None = None,
) -> list[LoadResult]:
    """Replace these days of raw.<source>__<entity> in one transaction; one LoadResult per day.
    `phones`, a PhoneHasher of the same salt, carries phones already hashed from call to call.

    When a file of day D cannot be read, the transaction is rolled back, the days before D are
    loaded again in a transaction of their own, and the LandingFileError is raised: D and the
    days after it are untouched, as if the days had been loaded one by one in order."""
    contract = contracts.get(source, entity)
    days = sorted(set(days))
    phones = phones if phones is not None and phones.salt == salt else PhoneHasher(salt)
    ensure_tables(con, [contract])
    try:
        return _replace(con, Path(landing_dir), contract, days, phones, batch_rows)
    except Exception as e:
        failed = getattr(e, "business_date", None)
        earlier = [d for d in days if failed is not None and d < failed]
        if earlier:
            _replace(con, Path(landing_dir), contract, earlier, phones, batch_rows)
        raise


# Reader threads. With two, reading (GIL-free for the most part: DuckDB's JSON functions, Arrow
# kernels, file reads) and writing fill both cores of a 2-core machine; a third measured no faster.
READERS = 2


def _replace(
    con, landing_dir: Path, contract, days: list[date], phones: PhoneHasher, batch_rows: int
) -> list[LoadResult]:
    writer = RawWriter(con, contract)
    suppressor = Suppressor.of(con, phones.salt)  # None, and no cost, while nobody was erased
    files: dict[str, FileResult] = {}
    file_days: dict[str, date] = {}
    with _gc_paused():
        con.execute("begin transaction")
        try:
            writer.replace(days)
            # Files are read READERS at a time in threads, in order, while this thread writes:
            # reading (parse, normalise, quarantine) costs ~2x writing, and one reader thread kept
            # the writer waiting ~60% of the time on the simulated landing.
            readers = file_readers(landing_dir, contract, days, phones, batch_rows)
            for p in in_order(readers, READERS):
                fr = files.get(p.rel)
                if fr is None:
                    fr = files[p.rel] = FileResult(p.rel)
                    file_days[p.rel] = p.day
                if suppressor is not None:
                    fr.suppressed += suppressor.piece(contract, p)
                fr.offered += p.offered
                fr.loaded += p.loaded
                fr.reasons.update(p.reasons or {})
                if p.good is not None:
                    writer.rows(p.good)
                if p.quarantine:
                    fr.quarantined += len(p.quarantine)
                    writer.quarantine(p.day, p.rel, p.quarantine)
                if p.last:
                    fr.encoding, fr.extra_columns = p.info.encoding, sorted(p.info.extra_columns)
            writer.finish(list(files.values()), file_days)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    by_day: dict[date, list[FileResult]] = {d: [] for d in days}
    for rel, fr in files.items():
        by_day[file_days[rel]].append(fr)
    return [totals(contract.source, contract.entity, d, by_day[d]) for d in days]


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
