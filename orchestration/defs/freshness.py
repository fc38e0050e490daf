"""Freshness policies: is the warehouse current? (Whether each *source* delivered within its
cadence is the `freshness` check of raw_quality, judged from what landed.)

The nightly job starts at 02:00 Beijing time. By 04:00 every landing asset and the published marts
must have materialized since 00:00 that day; otherwise Dagster marks them stale (the asset's
freshness state in the UI, evaluated by the daemon under `siyu ui` / `dagster dev`).
"""

from datetime import timedelta

from dagster import FreshnessPolicy

from ingestion.contracts.model import BUSINESS_TIMEZONE

NIGHTLY = FreshnessPolicy.cron(
    deadline_cron="0 4 * * *", lower_bound_delta=timedelta(hours=4), timezone=BUSINESS_TIMEZONE
)
