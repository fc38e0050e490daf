"""Pull assets: for every source whose credentials are all in the environment, one asset per pulled
entity, keyed ["pulls", source, entity] in group `pulls`, on the daily Beijing partitions; and a job
running them at 01:00 Beijing for yesterday, before the nightly build (02:00), which then loads the
new day folders. No credentials, no pull assets: the demo and file-only brands see none.

A source's entities are one multi-asset so one client (one access token) serves them all; selecting
one entity runs that entity. An entity that fails stops alone: the others are materialised, then the
step fails naming what did not land (pulls/run.py)."""


import os
from datetime import date, timedelta
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSelection,
    AssetSpec,
    DailyPartitionsDefinition,
    DefaultScheduleStatus,
    Failure,
    MaterializeResult,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    define_asset_job,
    multi_asset,
    schedule,
)

from ingestion.contracts.model import BUSINESS_TIMEZONE
from pulls import sources
from pulls.run import pull
from pulls.source import BEIJING, Source

GROUP = "pulls"
PULL_HOUR = 1  # Beijing: an hour before the nightly build


def configured(env=os.environ) -> list[Source]:
    return [s for s in sources().values() if all(env.get(v) for v in s.credentials)]


def _spec(source: Source, entity) -> AssetSpec:
    what = "the platform's state at the pull" if entity.kind == "snapshot" else "what changed on the day"
    return AssetSpec(
        key=AssetKey([GROUP, source.name, entity.name]), group_name=GROUP, kinds={"python"},
        description=(f"`{source.name}/{entity.name}` pulled from the {source.name} API ({entity.reference}): "
                     f"{what}, written atomically to $SIYU_LANDING_DIR/{source.name}/{entity.name}/<date>/"
                     f"{entity.file}"),
    )


def _pull_asset(source: Source, partitions: DailyPartitionsDefinition):
    @multi_asset(specs=[_spec(source, e) for e in source.entities], partitions_def=partitions,
                 can_subset=True, name=f"pull_{source.name}")
    def pulled(context: AssetExecutionContext):
        day = date.fromisoformat(context.partition_key)
        wanted = [k.path[-1] for k in sorted(context.selected_asset_keys, key=lambda k: k.path)]
        results = pull(source.name, [day], Path(os.environ["SIYU_LANDING_DIR"]), entities=wanted,
                       report=lambda landed: context.log.info(landed.line()))
        failed = []
        for landed in results:
            if landed.error or landed.skipped:
                failed.append(landed.line())
                continue
            yield MaterializeResult(asset_key=AssetKey([GROUP, source.name, landed.entity]),
                                    metadata={"records": landed.rows, "changed": landed.changed})
        if failed:
            raise Failure(description="\n".join(failed))

    return pulled


def pull_definitions(partitions: DailyPartitionsDefinition, running: bool = False) -> dict:
    """{"assets", "jobs", "schedules"} for the configured sources (empty lists without any)."""
    found = configured()
    if not found:
        return {"assets": [], "jobs": [], "schedules": []}
    job = define_asset_job("pulls", selection=AssetSelection.groups(GROUP), partitions_def=partitions)

    @schedule(job=job, cron_schedule=f"0 {PULL_HOUR} * * *", execution_timezone=BUSINESS_TIMEZONE,
              name="pulls_schedule",
              default_status=DefaultScheduleStatus.RUNNING if running else DefaultScheduleStatus.STOPPED)
    def pulls_schedule(context: ScheduleEvaluationContext):
        """Yesterday's Beijing partition of every pull asset, at 01:00 Beijing."""
        yesterday = context.scheduled_execution_time.astimezone(BEIJING).date() - timedelta(days=1)
        return RunRequest(run_key=yesterday.isoformat(), partition_key=yesterday.isoformat())

    assert isinstance(pulls_schedule, ScheduleDefinition)
    assets = [_pull_asset(s, partitions) for s in found]
    return {"assets": assets, "jobs": [job], "schedules": [pulls_schedule]}
