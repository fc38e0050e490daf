"""What a load reports: per file and per partition, rows offered = loaded + duplicates + quarantined
+ suppressed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date


@dataclass
class FileResult:
    file: str
    encoding: str = ""
    offered: int = 0
    loaded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    suppressed: int = 0  # records of people erased on request (ingestion/erasure/suppression.py)
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
    suppressed: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    files: list[FileResult] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)


def totals(source: str, entity: str, day: date, files: list[FileResult]) -> LoadResult:
    res = LoadResult(source, entity, day, files=files)
    reasons: Counter = Counter()
    for fr in files:
        res.rows_offered += fr.offered
        res.rows_loaded += fr.loaded
        res.duplicates += fr.duplicates
        res.quarantined += fr.quarantined
        res.suppressed += fr.suppressed
        reasons.update({k: v for k, v in fr.reasons.items() if k != "duplicate"})
    res.reasons = dict(sorted(reasons.items()))
    res.extra_columns = sorted({c for fr in files for c in fr.extra_columns})
    return res
