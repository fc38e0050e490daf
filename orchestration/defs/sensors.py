"""A sensor that notices new or re-delivered landing days and runs them.

Each `<source>/<entity>/<day>/` folder is fingerprinted by its files' names, sizes and mtimes
(ingestion/landing/changes.py, the definition `siyu run` uses too); the cursor keeps the fingerprints last
seen. (The sensor keeps them in its cursor, not the warehouse: a sensor must not wait on, or block,
the warehouse's one writer.) A new or changed day requests a run of that day's
partition for the changed entities (and everything downstream, via the nightly job's selection).
"""

import hashlib
import json

from dagster import AssetKey, RunRequest, SensorDefinition, SensorEvaluationContext, SkipReason, sensor

from ingestion.landing.changes import fingerprints
from orchestration.defs.resources import Warehouse

__all__ = ["changed_days", "fingerprints", "landing_sensor", "landing_sensor_for"]


def changed_days(previous: dict[str, str], current: dict[str, str]) -> dict[str, list[AssetKey]]:
    """day → landing asset keys whose folder for that day is new or changed."""
    days: dict[str, list[AssetKey]] = {}
    for folder, digest in sorted(current.items()):
        if previous.get(folder) != digest:
            source, entity, day = folder.split("/")
            days.setdefault(day, []).append(AssetKey([source, entity]))
    return days


def landing_sensor(context: SensorEvaluationContext, warehouse: Warehouse):
    previous = json.loads(context.cursor) if context.cursor else {}
    current = fingerprints(warehouse.landing)
    days = changed_days(previous, current)
    if not days:
        yield SkipReason("no new or changed landing day folders")
        return
    for day, keys in days.items():
        digest = hashlib.sha1(repr(keys).encode()).hexdigest()[:8]
        yield RunRequest(run_key=f"{day}:{digest}", partition_key=day)
    context.update_cursor(json.dumps(current))


def landing_sensor_for(job) -> SensorDefinition:
    """The sensor requesting runs of the definitions' nightly job."""
    return sensor(job=job, minimum_interval_seconds=300, description=__doc__, name="landing_sensor")(
        landing_sensor
    )
