"""When a scheduled or sensed night fails (a blocking check, a failed step), the published copy's
quality summary is refreshed from tonight's checks while its marts stay yesterday's: the operators'
dashboard then shows what blocked (orchestration/publish_quality.py). `siyu run` does the same itself
(orchestration/run_cmd.py); runs launched by Dagster's daemon need this sensor, on under `siyu serve`."""

from __future__ import annotations

import duckdb
from dagster import DefaultSensorStatus, JobDefinition, RunFailureSensorContext, run_failure_sensor

from orchestration.publish_quality import refresh_published_quality
from orchestration.settings import Settings


def quality_after_a_stopped_night_for(job: JobDefinition, running: bool = False):
    @run_failure_sensor(
        name="quality_after_a_stopped_night",
        monitored_jobs=[job],
        default_status=DefaultSensorStatus.RUNNING if running else DefaultSensorStatus.STOPPED,
        description="After a failed night: the published copy's quality summary shows tonight's "
        "checks (what blocked); its marts stay the last published night's.",
    )
    def quality_after_a_stopped_night(context: RunFailureSensorContext):
        settings = Settings.from_env(require_salt=False)
        try:
            rows = refresh_published_quality(settings.warehouse, settings.published)
        except duckdb.IOException as exc:  # another run holds the warehouse: its own end will tell
            context.log.warning(f"quality summary not refreshed: {exc}")
            return
        context.log.info(f"published quality summary refreshed: {rows}")

    return quality_after_a_stopped_night
