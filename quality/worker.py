"""A night's raw checks in a worker process (orchestration/worker.py), which imports GX while the
night loads.

GX takes ~2.5 s of CPU to import and the raw checks are the step after the landing. `siyu run`
starts this worker as the night starts; the raw-checks step sends it what it would pass to
check_raw (contracts by source and entity, the days, the run id and Data Docs folder) with the
warehouse's path and salt. The worker opens the warehouse as every step does
(orchestration/connect.py), runs quality.raw_checks.check_raw and answers with the summaries and
the lines the step logs. The step holds no connection meanwhile: DuckDB allows one writing process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from quality.results import CheckSummary

NAME = "raw_checks"  # the worker's name among a night's workers
MODULES = ("great_expectations", "quality.raw_checks", "orchestration.connect")
CHECK = "quality.worker:check"


@dataclass(frozen=True)
class Request:
    warehouse: str
    salt: bytes
    tables: tuple[tuple[str, str], ...]  # (source, entity) of each contract checked, in order
    first: date | None
    last: date | None
    run_id: str
    docs: str | None


def check(request: Request) -> tuple[list[CheckSummary], list[str]]:
    """In the worker: check_raw over the request, and the lines it logged."""
    from ingestion.contracts import CONTRACTS
    from orchestration.connect import open_warehouse
    from quality.raw_checks import check_raw

    by_table = {(c.source, c.entity): c for c in CONTRACTS.values()}
    contracts = [by_table[t] for t in request.tables]
    logged: list[str] = []
    docs = Path(request.docs) if request.docs else None
    with open_warehouse(request.warehouse, request.salt) as con:
        summaries = check_raw(
            con, contracts, request.first, request.last, request.run_id, docs, logged.append
        )
    return summaries, logged
