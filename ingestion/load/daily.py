"""Load a range of business days of one entity: what an ingestion asset does, without Dagster."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingestion.contracts import Contract
from ingestion.landing.layout import entity_days, partition_files
from ingestion.load.loader import ensure_raw_schema, load_days
from ingestion.normalise.phone_columns import PhoneHasher

# Landing bytes loaded per transaction (at least one day). One transaction's fixed cost (delete,
# duplicate sweep, load log, commit: ~75 ms) is lost in the ~5 CPU-s of reading 256 MiB (~1M
# rows), and a file that cannot be read costs at most that much reading again (load_days loads
# the days before it a second time).
TRANSACTION_BYTES = 256 << 20


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
    only: Collection[date] | None = None,
) -> RangeSummary:
    """Load every landing day of `contract` within [first, last] (of those, only the days in `only`
    when given: the folders that changed); days without a folder are left as they are (a snapshot
    holds until the next one; an event day with no file has no events)."""
    days = [d for d in entity_days(landing_dir, contract.source, contract.entity) if first <= d <= last]
    if only is not None:
        days = [d for d in days if d in set(only)]
    if not days:
        return RangeSummary()
    ensure_raw_schema(con)
    summary = RangeSummary()
    # One hasher for the range: a snapshot entity repeats its phones daily, and a day can be
    # its own transaction (a 1M-customer WeCom snapshot is ~220 MB a day).
    phones = PhoneHasher(salt)
    for chunk in _transactions(landing_dir, contract, days):
        for result in load_days(
            con, landing_dir, contract.source, contract.entity, chunk, salt, phones=phones
        ):
            summary.days_loaded.append(result.business_date)
            summary.rows_offered += result.rows_offered
            summary.rows_loaded += result.rows_loaded
            summary.duplicates += result.duplicates
            summary.quarantined += result.quarantined
            summary.reasons.update(result.reasons)
            summary.extra_columns.update(result.extra_columns)
            summary.files += len(result.files)
        if progress:
            done = len(summary.days_loaded)
            name = f"{contract.source}/{contract.entity}"
            progress(f"{name}: {done}/{len(days)} days, {summary.rows_loaded:,} rows loaded")
    return summary


def _transactions(landing_dir: Path, contract: Contract, days: list[date]):
    """Consecutive runs of days holding up to TRANSACTION_BYTES of files (at least one day each)."""
    chunk, size = [], 0
    for day in days:
        n = sum(p.stat().st_size for p in partition_files(landing_dir, contract.source, contract.entity, day))
        if chunk and size + n > TRANSACTION_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(day)
        size += n
    if chunk:
        yield chunk
