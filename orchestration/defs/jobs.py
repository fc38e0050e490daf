"""The nightly job and its schedule: yesterday's Beijing partition at 02:00 Beijing time."""

from __future__ import annotations

from dagster import (
    AssetSelection,
    DailyPartitionsDefinition,
    DefaultScheduleStatus,
    JobDefinition,
    ScheduleDefinition,
    build_schedule_from_partitioned_job,
    define_asset_job,
)


def nightly(
    partitions: DailyPartitionsDefinition, running: bool = False
) -> tuple[JobDefinition, ScheduleDefinition]:
    """Every asset: the day's landing entities, then dbt over everything loaded so far. The schedule
    is running from the start when `running` (production, `siyu serve`), else stopped until turned on."""
    # the pulls are their own job at 01:00 (orchestration/defs/pulls.py): a night never calls a platform
    job = define_asset_job("nightly", selection=AssetSelection.all() - AssetSelection.groups("pulls"),
                           partitions_def=partitions)
    status = DefaultScheduleStatus.RUNNING if running else DefaultScheduleStatus.STOPPED
    schedule = build_schedule_from_partitioned_job(
        job, hour_of_day=2, minute_of_hour=0, default_status=status
    )
    return job, schedule
