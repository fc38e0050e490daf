"""The write side of one load transaction over one or more days of an entity: delete the days,
append rows gathered across files and days, drop exact duplicates per day, write quarantine rows
and the load log.

Every statement here runs once per transaction or once per ~122,880 rows, never once per file or
per day: on a landing of 1,000 small day partitions the per-day statements (delete, duplicate
sweep, quarantine, load log, commit) cost ~74 ms each partition, more than reading its rows.

Rows go to a temporary stage first and reach the raw table only once their duplicates are gone:
deleting rows the transaction itself wrote to the raw table made DuckDB rewrite them at commit
(commit ~17% of a 1M-customer load's CPU; staging cut the CPU of a WeCom snapshot load by 12%).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from ingestion.contracts.ddl import raw_columns
from ingestion.read.readers import MAX_BATCH_BYTES
from ingestion.write.rawdb import LOAD_LOG, QUARANTINE, SCHEMA, insert_load_log, insert_quarantine_files, q
from ingestion.write.results import FileResult
from ingestion.write.strays import FOLDER_REASONS

# Rows gathered before one INSERT: a DuckDB row group (122,880 rows) written whole is written
# once; many small appends cost ~30% more CPU and a slow commit (measured on 1M rows).
INSERT_ROWS = 122_880
# Rows staged before they move to the raw table: bounds the stage at ~300-500 MB of DuckDB memory.
STAGE_ROWS = 1_000_000
# Quarantine rows gathered before one INSERT: a file whose every row is bad stays this wide.
QUARANTINE_ROWS = 20_000
# A record's hash is taken over what the contract reads — the stored values, not the bytes offered —
# so the same record in other bytes (keys reordered, `\u` escapes, CRLF, a key the platform added
# between two pulls) is the same record and is dropped as a duplicate (docs/sources.md). The values
# are hashed with DuckDB's hash() twice, seeded differently, 128 bits in all: 3-4x cheaper than an
# md5 of the values' text (0.2 s against 0.55-0.7 s per 500,000 rows), and unlike md5 of the raw line
# it knows a null from "". Two different records of one day would need equal values wherever their
# columns' 64-bit hashes differ (~3x10^-6 a day at 10 million distinct values of one column, and the
# rest of both records equal). The values themselves are stored beside it, so no key is needed.
# (DuckDB may change hash() between releases: only the cross-day repeat check compares hashes of
# days loaded by two versions, until those days are reloaded.)
RECORD_HASH = "hash({columns})::varchar || '.' || hash('siyu', {columns})::varchar"
EPOCH = date(1970, 1, 1)
STAGE = "_siyu_stage"


def constant(value, n: int) -> pa.Array:
    """A column holding one value n times, without building n Python objects: a date, or a
    dictionary-encoded string (DuckDB reads it as VARCHAR)."""
    if isinstance(value, date):
        return pa.array(np.full(n, (value - EPOCH).days, np.int32), pa.date32())
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), pa.array([value], pa.string()))


def with_lineage(good: pa.Table, day: date, rel: str, encoding: str) -> pa.Table:
    """The normalised batch plus the lineage columns that differ by file and day."""
    n = good.num_rows
    return (
        good.append_column("_business_date", constant(day, n))
        .append_column("_file", constant(rel, n))
        .append_column("_encoding", constant(encoding, n))
    )


class RawWriter:
    """One transaction's writes for one contract: call replace, then rows and quarantine as
    batches come, then finish (the caller begins and commits)."""

    def __init__(self, con, contract):
        self.con, self.contract = con, contract
        self.table = f"{SCHEMA}.{q(contract.table)}"
        self.key = [contract.source, contract.entity]
        names = [n for n, _ in raw_columns(contract) if not n.startswith("_")]
        cols = ", ".join(q(n) for n in names)
        record_hash = RECORD_HASH.format(columns=", ".join(q(n) for n in names))
        self.to_stage = (
            f"select {cols}, _business_date, _file::varchar as _file, _row_number, "
            f"{record_hash} as _record_hash, _encoding::varchar as _encoding from _siyu_batch where _ok"
        )
        lineage = "_business_date, _file, _row_number, _record_hash, _encoding"
        self.publish = (
            f"insert into {self.table} ({cols}, {lineage}, _loaded_at) "
            f"select {cols}, {lineage}, now() from {STAGE}"
        )
        self.pending: list[pa.Table] = []
        self.pending_rows = self.pending_bytes = self.staged_rows = 0
        self.staged = False
        self.published: set[date] = set()  # days with rows in the raw table from this transaction
        self.duplicates: dict[str, int] = {}
        self.quarantined: list[tuple[date, str, list[tuple]]] = []
        self.quarantined_rows = 0

    def replace(self, days: list[date]) -> None:
        """Delete what earlier loads of these days wrote (files outside the layout stay recorded)."""
        marks = ", ".join("?" * len(days))
        self.con.execute(f"delete from {self.table} where _business_date in ({marks})", days)
        self.con.execute(
            f"delete from {SCHEMA}.{QUARANTINE} where source = ? and entity = ? "
            f"and business_date in ({marks}) and reason not in {FOLDER_REASONS}",
            self.key + days,
        )
        self.con.execute(
            f"delete from {SCHEMA}.{LOAD_LOG} where source = ? and entity = ? and business_date in ({marks})",
            self.key + days,
        )

    def rows(self, good: pa.Table) -> None:
        """Rows of a batch (with lineage columns; only those with _ok are written)."""
        self.pending.append(good)
        self.pending_rows += good.num_rows
        self.pending_bytes += good.nbytes
        if self.pending_rows >= INSERT_ROWS or self.pending_bytes >= MAX_BATCH_BYTES:
            self._stage()

    def quarantine(self, day: date, rel: str, rows: list[tuple]) -> None:
        """(row_number, reason, detail, record) rows of one file."""
        if rows:
            self.quarantined.append((day, rel, rows))
            self.quarantined_rows += len(rows)
            if self.quarantined_rows >= QUARANTINE_ROWS:
                self._flush_quarantine()

    def finish(self, files: list[FileResult], file_days: dict[str, date]) -> None:
        """Write what is pending, count exact duplicates against their files, and record every
        file in the load log."""
        self._stage()
        self._publish()
        self._flush_quarantine()
        for fr in files:
            fr.duplicates = self.duplicates.get(fr.file, 0)
            fr.loaded -= fr.duplicates
        self._log(files, file_days)

    def _stage(self) -> None:
        if not self.pending:
            return
        self.con.register("_siyu_batch", pa.concat_tables(self.pending, promote_options="permissive"))
        try:
            if self.staged:
                self.con.execute(f"insert into {STAGE} {self.to_stage}")
            else:
                self.con.execute(f"create or replace temp table {STAGE} as {self.to_stage}")
                self.staged = True
        finally:
            self.con.unregister("_siyu_batch")
        self.staged_rows += self.pending_rows
        self.pending, self.pending_rows, self.pending_bytes = [], 0, 0
        if self.staged_rows >= STAGE_ROWS:
            self._publish()

    def _publish(self) -> None:
        """Move the stage to the raw table without its exact duplicates: a record hash seen before
        in its day, earlier in the stage (by file name, then row) or among the rows of its day
        already published. Only hashes seen twice are ranked: grouping all rows is a hash
        aggregate, ranking them all a sort."""
        if not self.staged:
            return
        ranked = (
            f"with twice as (select _business_date, _record_hash from {STAGE} "
            "group by all having count(*) > 1) "
            "select t.rowid as rid, t._file, row_number() over "
            "(partition by t._business_date, t._record_hash order by t._file, t._row_number) as n "
            f"from {STAGE} t semi join twice using (_business_date, _record_hash)"
        )
        dups = f"select rid, _file from ({ranked}) where n > 1"
        days = sorted(self.published)
        if days:  # a day spread over two stages: its later rows may repeat its published ones
            marks = ", ".join("?" * len(days))
            dups += (
                f" union select s.rowid, s._file from {STAGE} s semi join (select _business_date, "
                f"_record_hash from {self.table} where _business_date in ({marks})) p "
                "using (_business_date, _record_hash)"
            )
        self.con.execute(f"create or replace temp table _siyu_dups as {dups}", days)
        for file, n in self.con.execute("select _file, count(*) from _siyu_dups group by _file").fetchall():
            self.duplicates[file] = self.duplicates.get(file, 0) + n
        self.con.execute(f"delete from {STAGE} where rowid in (select rid from _siyu_dups)")
        self.published.update(
            d for (d,) in self.con.execute(f"select distinct _business_date from {STAGE}").fetchall()
        )
        self.con.execute(self.publish)
        self.con.execute(f"drop table {STAGE}")
        self.con.execute("drop table _siyu_dups")
        self.staged, self.staged_rows = False, 0

    def _flush_quarantine(self) -> None:
        insert_quarantine_files(self.con, self.contract.source, self.contract.entity, self.quarantined)
        self.quarantined, self.quarantined_rows = [], 0

    def _log(self, files: list[FileResult], file_days: dict[str, date]) -> None:
        if not files:
            return
        n = len(files)
        table = pa.table(
            {
                "source": [self.contract.source] * n,
                "entity": [self.contract.entity] * n,
                "business_date": pa.array([file_days[fr.file] for fr in files], pa.date32()),
                "file": [fr.file for fr in files],
                "encoding": [fr.encoding for fr in files],
                "rows_offered": pa.array([fr.offered for fr in files], pa.int64()),
                "rows_loaded": pa.array([fr.loaded for fr in files], pa.int64()),
                "duplicates": pa.array([fr.duplicates for fr in files], pa.int64()),
                "quarantined": pa.array([fr.quarantined for fr in files], pa.int64()),
                "suppressed": pa.array([fr.suppressed for fr in files], pa.int64()),
                "extra_columns": pa.array([fr.extra_columns for fr in files], pa.list_(pa.string())),
            }
        )
        insert_load_log(self.con, table)
