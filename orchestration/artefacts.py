"""Run artefacts kept for $SIYU_RETAIN_RUNS_DAYS days (default 30), pruned at the end of each night.

A night leaves ~14 MB of Dagster event log (its run and events in the Dagster home's storage), a dbt
target folder per dbt step (~45 MB: compiled SQL, run_results.json, the step's manifest) and a run
log. Kept forever they grow by ~2 GB a month and, until erased, hold whatever a night logged. After
a night that published, those older than the setting are deleted:
- Dagster runs that finished (succeeded, failed, canceled) before the boundary, through Dagster's
  own `delete_run` (never a run still queued or in progress);
- dbt target folders that dagster-dbt made for one step (named `<step>-<run id[:7]>-<hex>`) and
  left untouched since the boundary; nothing else under target/ (the manifest, partial parse, a
  folder someone put there) is touched;
- run logs `run-<YYYYMMDD-HHMMSS>.log` in the warehouse's logs folder, and the dbt results kept
  per step in its `dbt/` folder (`<run id>-<n>.json`, read by `siyu doctor`).
"0" keeps only the current night's; "never" keeps everything (the setting a brand with its own
archiving wants).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from orchestration.settings import ConfigError

RUNS_DAYS = "SIYU_RETAIN_RUNS_DAYS"
DEFAULT_RUNS_DAYS = 30
# dagster-dbt names a step's target folder `<op name>-<run id[:7]>-<uuid hex>`
DBT_STEP_FOLDER = re.compile(r"[A-Za-z0-9_]+-[0-9a-f]{7}-[0-9a-f]{6,}")
RUN_LOG = re.compile(r"run-\d{8}-\d{6}\.log")
DBT_RESULTS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\d+\.json")


def retain_days(env=os.environ) -> int | None:
    """Days to keep run artefacts; None: keep them all."""
    value = env.get(RUNS_DAYS, "").strip().lower()
    if not value:
        return DEFAULT_RUNS_DAYS
    if value == "never":
        return None
    if not re.fullmatch(r"\d+", value):
        raise ConfigError(
            f"{RUNS_DAYS}={value!r}: a whole number of days (e.g. {DEFAULT_RUNS_DAYS}) or 'never'"
        )
    return int(value)


@dataclass
class Pruned:
    runs: list[str] = field(default_factory=list)
    dbt_folders: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"pruned run artefacts: {len(self.runs)} Dagster runs, {len(self.dbt_folders)} dbt target "
                f"folders, {len(self.logs)} run logs")


def prune(instance, dbt_target: Path, logs_dir: Path | None, days: int | None,
          now: datetime | None = None, current_run: str | None = None) -> Pruned:
    """Delete what is older than `days` (see the module's docstring); `current_run` is never deleted."""
    out = Pruned()
    if days is None:
        return out
    now = now or datetime.now(UTC)
    boundary = now - timedelta(days=days)
    out.runs = _prune_runs(instance, boundary, current_run) if instance is not None else []
    cutoff = boundary.timestamp()
    if dbt_target.is_dir():
        for folder in sorted(dbt_target.iterdir()):
            if (DBT_STEP_FOLDER.fullmatch(folder.name) and folder.is_dir() and not folder.is_symlink()
                    and not _touched_since(folder, cutoff)
                    and (current_run is None or f"-{current_run[:7]}-" not in folder.name)):
                shutil.rmtree(folder)
                out.dbt_folders.append(folder.name)
    if logs_dir is not None:
        for folder, pattern, prefix in ((logs_dir, RUN_LOG, ""), (logs_dir / "dbt", DBT_RESULTS, "dbt/")):
            if not folder.is_dir() or folder.is_symlink():
                continue
            for log in sorted(folder.iterdir()):
                if pattern.fullmatch(log.name) and log.is_file() and not log.is_symlink() \
                        and log.stat().st_mtime < cutoff:
                    log.unlink()
                    out.logs.append(prefix + log.name)
    return out


def _prune_runs(instance, boundary: datetime, current_run: str | None) -> list[str]:
    from dagster import DagsterRunStatus, RunsFilter

    finished = [DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED]
    records = instance.get_run_records(filters=RunsFilter(statuses=finished, updated_before=boundary))
    deleted = []
    for record in records:
        run_id = record.dagster_run.run_id
        if run_id != current_run:
            instance.delete_run(run_id)
            deleted.append(run_id)
    return deleted


def _touched_since(folder: Path, cutoff: float) -> bool:
    """Whether anything in the folder changed at or after `cutoff`; stops at the first that did (a
    month of nights keeps ~50,000 files in target/, and every recent step folder answers at its
    first file)."""
    if folder.lstat().st_mtime >= cutoff:
        return True
    for path in folder.rglob("*"):
        if path.lstat().st_mtime >= cutoff:
            return True
    return False

