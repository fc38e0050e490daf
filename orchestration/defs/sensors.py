"""A sensor that notices new or re-delivered landing day folders and runs the night over them.

Every tick (5 minutes) it fingerprints the landing folder (ingestion/landing/changes.py, the
definition `siyu run` uses) and compares with the fingerprints the warehouse recorded as built
(raw._landing_fingerprints, written when a night publishes, whoever started it). The folders that
are new or changed are one run: the nightly job over the range of their days, loading only those
folders — what `siyu run` does, so a first start over a landing of a thousand days is one run, not
a thousand. The run key is a hash of those folders' fingerprints and today's Beijing date: while the
run is queued or going, or after it failed, the same folders ask for no second run that day; a new
delivery does at once, and a night that did not publish is asked again the next day (sooner:
`siyu run`, or re-execute it in the UI). When a run holds the warehouse (DuckDB's one writer), the
tick is skipped and the next one looks again.
"""

import hashlib
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
from dagster import (
    AssetKey,
    DefaultSensorStatus,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from ingestion.contracts.model import BUSINESS_TIMEZONE
from ingestion.landing.changes import fingerprints, plan, recorded, retained_before
from orchestration.defs.partitions import RANGE_END_TAG, RANGE_START_TAG
from orchestration.defs.resources import Warehouse

__all__ = ["changed_days", "fingerprints", "landing_sensor", "landing_sensor_for", "night_request"]


def changed_days(previous: dict[str, str], current: dict[str, str]) -> dict[str, list[AssetKey]]:
    """day → landing asset keys whose folder for that day is new or changed."""
    days: dict[str, list[AssetKey]] = {}
    for folder, digest in sorted(current.items()):
        if previous.get(folder) != digest:
            source, entity, day = folder.split("/")
            days.setdefault(day, []).append(AssetKey([source, entity]))
    return days


def night_request(current: dict[str, str], built: dict[str, str], retained=None,
                  today: date | None = None) -> RunRequest | None:
    """One run over the folders not built as they are now; None when there is none."""
    tonight = plan(current, built, retained=retained)
    if not tonight.load:
        return None
    days = tonight.loaded_days
    today = today or datetime.now(ZoneInfo(BUSINESS_TIMEZONE)).date()
    key = hashlib.sha1(json.dumps(tonight.load, sort_keys=True).encode()).hexdigest()[:16]
    return RunRequest(
        run_key=f"{today}:{days[0]}..{days[-1]}:{len(tonight.load)}:{key}",
        tags={RANGE_START_TAG: days[0].isoformat(), RANGE_END_TAG: days[-1].isoformat()},
        run_config={"ops": {"landing": {"config": {"folders": sorted(tonight.load)}}}},
    )


def landing_sensor(context: SensorEvaluationContext, warehouse: Warehouse):
    current = fingerprints(warehouse.landing)
    built, retained = {}, None
    if Path(warehouse.path).is_file():
        try:
            with duckdb.connect(warehouse.path, read_only=True) as con:
                built, retained = recorded(con), retained_before(con)
        except duckdb.IOException:  # a run holds the warehouse
            yield SkipReason("the warehouse is being written; the next tick looks again")
            return
    request = night_request(current, built, retained)
    if request is None:
        yield SkipReason("no new or changed landing day folders")
        return
    yield request


def landing_sensor_for(job, running: bool = False) -> SensorDefinition:
    """The sensor requesting runs of the definitions' nightly job; running from the start when
    `running` (production, `siyu serve`), else stopped until turned on."""
    status = DefaultSensorStatus.RUNNING if running else DefaultSensorStatus.STOPPED
    return sensor(job=job, minimum_interval_seconds=300, description=__doc__, name="landing_sensor",
                  default_status=status)(landing_sensor)
