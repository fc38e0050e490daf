"""`siyu run`: materialize every asset for a landing folder, in one in-process Dagster run.

In process because Dagster's multiprocess executor costs ~2 s per step here and DuckDB allows one
writer anyway; one run because the ingestion assets take the whole landing date range at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, ConfigError, Settings


def landing_range(settings: Settings) -> tuple[date, date]:
    from ingestion.landing import discover

    if not settings.landing_dir.is_dir():
        raise ConfigError(f"landing folder {settings.landing_dir} does not exist (SIYU_LANDING_DIR)")
    days = sorted({d for ds in discover(settings.landing_dir).partitions.values() for d in ds})
    if not days:
        raise ConfigError(
            f"no landing data under {settings.landing_dir}: expected <source>/<entity>/<YYYY-MM-DD>/<file> "
            "as in docs/sources.md"
        )
    return days[0], days[-1]


def set_partition_window(first: date, last: date, today: date | None = None) -> None:
    """Daily partitions must cover the landing days; they are defined when definitions load."""
    today = today or date.today()
    os.environ["SIYU_START_DATE"] = min(first, date.fromisoformat(os.environ.get("SIYU_START_DATE", str(first)))).isoformat()
    os.environ["SIYU_END_OFFSET"] = str(max(1, (last - today).days + 2))


def parse_dbt_project() -> None:
    """Write dbt's manifest, which the dbt assets are built from. In a subprocess: dbt configures
    Python logging globally, which would double every Dagster log line in this process."""
    cmd = [str(Path(sys.executable).parent / "dbt"), "parse", "--quiet",
           "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise ConfigError(f"dbt parse failed:\n{result.stdout}{result.stderr}")


def run_pipeline(settings: Settings, first: date | None = None, last: date | None = None, instance=None) -> bool:
    """Materialize all assets over the landing date range; True when every step succeeded."""
    from dagster import DagsterInstance
    from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

    landing_first, landing_last = landing_range(settings)
    first, last = first or landing_first, last or landing_last
    set_partition_window(first, last)
    parse_dbt_project()

    from orchestration.definitions import defs  # after the partition window is set

    job = defs.resolve_job_def("nightly")
    instance = instance or DagsterInstance.get()
    result = job.execute_in_process(
        instance=instance,
        tags={ASSET_PARTITION_RANGE_START_TAG: first.isoformat(), ASSET_PARTITION_RANGE_END_TAG: last.isoformat()},
        run_config={"loggers": {"siyu_console": {}}},
        raise_on_error=False,
    )
    return result.success
