"""Load a range of business days of one entity: what an ingestion asset does, without Dagster."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingestion.contracts import Contract
from ingestion.landing import discover
from ingestion.loader import ensure_raw_schema, load_partition


@dataclass
class RangeSummary:
    days_loaded: list[date] = field(default_factory=list)
    rows_offered: int = 0
    rows_loaded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: Counter = field(default_factory=Counter)
    extra_columns: set[str] = field(default_factory=set)
    files: int = 0

    def metadata(self) -> dict:
        return {
            "days_loaded": len(self.days_loaded),
            "first_day": str(min(self.days_loaded)) if self.days_loaded else "",
            "last_day": str(max(self.days_loaded)) if self.days_loaded else "",
            "files": self.files,
            "rows_offered": self.rows_offered,
            "rows_loaded": self.rows_loaded,
            "exact_duplicates": self.duplicates,
            "rows_quarantined": self.quarantined,
            "quarantine_reasons": dict(sorted(self.reasons.items())),
            "extra_columns": sorted(self.extra_columns),
        }


def load_range(
    con,
    landing_dir: Path,
    contract: Contract,
    first: date,
    last: date,
    salt: bytes,
    progress: Callable[[str], None] | None = None,
) -> RangeSummary:
    """Load every landing day of `contract` within [first, last]; days without a folder are left as
    they are (a snapshot holds until the next one; an event day with no file has no events)."""
    ensure_raw_schema(con)
    days = [d for d in discover(landing_dir).partitions.get((contract.source, contract.entity), []) if first <= d <= last]
    summary = RangeSummary()
    for i, day in enumerate(days, start=1):
        result = load_partition(con, landing_dir, contract.source, contract.entity, day, salt)
        summary.days_loaded.append(day)
        summary.rows_offered += result.rows_offered
        summary.rows_loaded += result.rows_loaded
        summary.duplicates += result.duplicates
        summary.quarantined += result.quarantined
        summary.reasons.update(result.reasons)
        summary.extra_columns.update(result.extra_columns)
        summary.files += len(result.files)
        if progress and (i == len(days) or i % 10 == 0):
            progress(f"{contract.source}/{contract.entity}: {i}/{len(days)} days, {summary.rows_loaded:,} rows loaded")
    return summary
