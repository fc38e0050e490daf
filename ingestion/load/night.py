"""A night's landing step without Dagster: load the selected entities' days of a window into raw
tables, in the night's own process (orchestration/defs/ingestion.py) or in a worker process that
`siyu run` starts as the night starts (orchestration/ahead.py).

`land` is the step's work: the fingerprints of the folders it loads (taken before reading them, so
a file changed while the night runs makes the next night load it again), the raw schema, the
quarantine of files outside the layout, each entity's days, and the folders recorded as pending
under the run's id (built once the same run publishes). `land_request` runs it from a pickled
`LandingRequest` in a worker and answers with what the step reports: each table's summary and the
lines it logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingestion.contracts import CONTRACTS, Contract
from ingestion.landing.changes import fingerprints, record_pending, split_key
from ingestion.landing.layout import discover
from ingestion.load.daily import RangeSummary, load_range
from ingestion.load.loader import ensure_raw_schema
from ingestion.write.strays import record_unknown_files

Table = tuple[str, str]  # (source, entity)
Log = Callable[[str], None]


def days_by_table(folders: list[str] | None) -> dict[Table, set[date]] | None:
    """`source/entity/YYYY-MM-DD` folders by table; None (every folder of the window) stays None."""
    if folders is None:
        return None
    out: dict[Table, set[date]] = {}
    for folder in folders:
        source, entity, day = split_key(folder)
        out.setdefault((source, entity), set()).add(day)
    return out


def loaded_prints(landing: Path, tables: set[Table], first: date, last: date,
                  only: Mapping[Table, set[date]] | None) -> dict[str, str]:
    """Fingerprints of the folders a step loads: the tables' days in [first, last], or of those the
    only ones given."""
    out = {}
    for folder, digest in fingerprints(landing).items():
        source, entity, day = split_key(folder)
        table = (source, entity)
        if table in tables and first <= day <= last and (only is None or day in only.get(table, set())):
            out[folder] = digest
    return out


def land(con, landing: Path, tables: list[Table], first: date, last: date, salt: bytes,
         only: Mapping[Table, set[date]] | None, run_id: str, info: Log,
         warning: Log) -> Iterator[tuple[Contract, RangeSummary]]:
    """Load `tables` (in order) over [first, last], of those days the `only` ones when given (a table
    missing from `only` is left as it is); yields each table's contract and summary as it is loaded."""
    by_table = {(c.source, c.entity): c for c in CONTRACTS.values()}
    prints = loaded_prints(landing, set(tables), first, last, only)
    ensure_raw_schema(con)  # dbt's sources read every raw table, loaded tonight or not
    strays = record_unknown_files(con, discover(landing))
    if strays:
        warning(f"{strays} files outside the landing layout quarantined (see raw._quarantine)")
    for table in tables:
        contract = by_table[table]
        days = None if only is None else only.get(table, set())
        summary = load_range(con, landing, contract, first, last, salt, info, only=days)
        if summary.extra_columns:
            warning(f"{contract.table}: unexpected columns {sorted(summary.extra_columns)}")
        yield contract, summary
    record_pending(con, run_id, prints)


@dataclass(frozen=True)
class LandingRequest:
    """What a landing step loads, as `siyu run` knows it before Dagster's run exists."""

    warehouse: str
    salt: bytes
    landing: str
    tables: tuple[Table, ...]
    first: date
    last: date
    folders: tuple[str, ...] | None  # None: every folder of the window
    run_id: str


@dataclass(frozen=True)
class Landed:
    """A worker's answer: each table's summary metadata, in order, and the lines logged (level, text)."""

    tables: list[tuple[Table, dict]]
    logged: list[tuple[int, str]]


def land_request(request: LandingRequest) -> Landed:
    """In a worker: `land` over the request, on the warehouse opened as every step opens it."""
    from orchestration.connect import open_warehouse

    logged: list[tuple[int, str]] = []
    folders = None if request.folders is None else list(request.folders)
    with open_warehouse(request.warehouse, request.salt) as con:
        loaded = [
            ((contract.source, contract.entity), summary.metadata())
            for contract, summary in land(
                con, Path(request.landing), list(request.tables), request.first, request.last,
                request.salt, days_by_table(folders), request.run_id,
                lambda line: logged.append((logging.INFO, line)),
                lambda line: logged.append((logging.WARNING, line)),
            )
        ]
    return Landed(loaded, logged)
