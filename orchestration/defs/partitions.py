"""Daily partitions in Beijing time: one partition per landing business date."""

from __future__ import annotations

import os

from dagster import DailyPartitionsDefinition

from ingestion.contracts.model import BUSINESS_TIMEZONE

DEFAULT_START_DATE = "2024-01-01"


def daily_partitions() -> DailyPartitionsDefinition:
    """`siyu run` sets SIYU_START_DATE / SIYU_END_OFFSET from the landing folder, so any folder's
    dates are partitions; the UI and the schedule use the defaults (today's partition included)."""
    return DailyPartitionsDefinition(
        start_date=os.environ.get("SIYU_START_DATE", DEFAULT_START_DATE),
        timezone=BUSINESS_TIMEZONE,
        end_offset=int(os.environ.get("SIYU_END_OFFSET", "1")),
    )


DAILY = daily_partitions()
