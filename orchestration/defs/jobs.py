"""The nightly job and its schedule: yesterday's Beijing partition at 02:00 Beijing time."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from dagster import (
    AssetSelection,
    DailyPartitionsDefinition,
    DefaultScheduleStatus,
    JobDefinition,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    define_asset_job,
    schedule,
)

from ingestion.contracts.model import BUSINESS_TIMEZONE

BEIJING = ZoneInfo(BUSINESS_TIMEZONE)


def nightly(
    partitions: DailyPartitionsDefinition, running: bool = False
) -> tuple[JobDefinition, ScheduleDefinition]:
    """Every asset: the day's landing entities, then dbt over everything loaded so far. The schedule
    is running from the start when `running` (production, `siyu serve`), else stopped until turned on."""
    # the pulls are their own job at 01:00 (orchestration/defs/pulls.py): a night never calls a platform
    job = define_asset_job("nightly", selection=AssetSelection.all() - AssetSelection.groups("pulls"),
                           partitions_def=partitions)
    status = DefaultScheduleStatus.RUNNING if running else DefaultScheduleStatus.STOPPED

    # Not build_schedule_from_partitioned_job: the partitions reach today (a landing day may be
    # today's), and that schedule asks for the last partition — today's, not the day just ended.
    @schedule(job=job, cron_schedule="0 2 * * *", execution_timezone=BUSINESS_TIMEZONE,
              name="nightly_schedule", default_status=status)
    def nightly_schedule(context: ScheduleEvaluationContext):
        """At 02:00 Beijing, the business day that ended two hours ago."""
        today = context.scheduled_execution_time.astimezone(BEIJING).date()
        yesterday = (today - timedelta(days=1)).isoformat()
        if yesterday < partitions.get_first_partition_key():
            return SkipReason(f"{yesterday} is before the first landing day")
        return RunRequest(run_key=yesterday, partition_key=yesterday)

    return job, nightly_schedule
