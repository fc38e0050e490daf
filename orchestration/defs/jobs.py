"""The nightly job and its schedule: yesterday's Beijing partition at 02:00 Beijing time."""

from __future__ import annotations

from dagster import AssetSelection, build_schedule_from_partitioned_job, define_asset_job

from orchestration.defs.partitions import DAILY

# Every asset: the day's landing entities, then dbt over everything loaded so far.
nightly_job = define_asset_job("nightly", selection=AssetSelection.all(), partitions_def=DAILY)

nightly_schedule = build_schedule_from_partitioned_job(nightly_job, hour_of_day=2, minute_of_hour=0)
