"""Daily partitions in Beijing time: one partition per landing business date.

Built as objects and passed to the definitions (orchestration/defs/build.py): `siyu run` builds them
over the days it loads, the UI and the schedule over the landing folder's days.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dagster import DailyPartitionsDefinition

from ingestion.contracts.model import BUSINESS_TIMEZONE

# The run tags Dagster documents for a single-run backfill over a partition range (the constants live
# in a private module, so they are named here): `siyu run` and the landing sensor set them.
RANGE_START_TAG, RANGE_END_TAG = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"

# The first partition when the landing folder holds no day yet
DEFAULT_START_DATE = date(2024, 1, 1)


def daily_partitions(start: date = DEFAULT_START_DATE, end_offset: int = 1) -> DailyPartitionsDefinition:
    """Partitions from `start` to today's (end_offset 1), or that many days past today."""
    return DailyPartitionsDefinition(
        start_date=start.isoformat(), timezone=BUSINESS_TIMEZONE, end_offset=max(1, end_offset)
    )


def window_partitions(first: date, last: date, today: date | None = None) -> DailyPartitionsDefinition:
    """Partitions covering [first, last], even when a landing day is in the future (a clock or a
    simulated brand ahead of today)."""
    today = today or date.today()
    return daily_partitions(start=first, end_offset=(last - today).days + 2)


def landing_partitions(landing_dir: Path | None) -> DailyPartitionsDefinition:
    """Partitions from the landing folder's first day to its last (or today): what the UI shows."""
    from ingestion.landing.layout import discover

    days = []
    try:
        if landing_dir is not None and landing_dir.is_dir():
            days = [d for ds in discover(landing_dir).partitions.values() for d in ds]
    except OSError:  # a landing folder unreadable, or vanishing, as the definitions load: the default
        days = []    # window; the UI and the daemon still start, and a run reads the folder itself
    if not days:
        return daily_partitions()
    return window_partitions(min(days), max(days))  # today's partition too, as every partitions set
