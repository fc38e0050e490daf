"""Run artefacts: what a night prunes, and everything it must leave alone."""

import os
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster
import pytest

from orchestration.artefacts import prune, retain_days
from orchestration.settings import ConfigError

OLD = 45  # days: older than the default 30
NOWHERE = Path("/nonexistent/target")


def aged(path, days):
    stamp = time.time() - days * 86400
    for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(p, (stamp, stamp), follow_symlinks=False)
    return path


def test_only_dagster_dbts_old_step_folders_and_old_run_logs_go(tmp_path):
    target, logs = tmp_path / "target", tmp_path / "logs"
    target.mkdir()
    logs.mkdir()
    old_step = target / "siyu_dbt_models-1a2b3c4-9f8e7d6c5b4a"
    old_step.mkdir()
    (old_step / "run_results.json").write_text("{}")
    aged(old_step, OLD)
    new_step = target / "siyu_dbt_models-5d6e7f8-0123456789ab"
    new_step.mkdir()
    (new_step / "run_results.json").write_text("{}")
    current = target / "siyu_dbt_models-abcdef0-00aa11bb22cc"  # this night's own run
    current.mkdir()
    aged(current, OLD)
    touched = target / "siyu_dbt_models-7777777-0123456789ab"  # old folder, a file written today
    touched.mkdir()
    aged(touched, OLD)
    (touched / "fresh.sql").write_text("select 1")
    kept_names = ["workers", "my-notes", "manifest.json", "partial_parse.msgpack"]
    for name in kept_names:
        path = target / name
        path.mkdir() if "." not in name else path.write_text("x")
        aged(path, OLD)
    outside = tmp_path / "elsewhere-1234567-abcdef123456"
    outside.mkdir()
    (target / "linked-1234567-abcdef123456").symlink_to(outside, target_is_directory=True)
    (logs / "dbt").mkdir()
    old_run = "0f3c2a1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
    for name in ["run-20260101-020000.log", "run-20261204-020000.log", "notes.txt",
                 f"dbt/{old_run}-1.json", f"dbt/{old_run}-2.json", "dbt/mine.json"]:
        (logs / name).write_text("x")
        if name != "run-20261204-020000.log":
            aged(logs / name, OLD)

    pruned = prune(None, target, logs, 30, current_run="abcdef0" + "9" * 29)

    assert pruned.dbt_folders == [old_step.name] and not old_step.exists()
    assert all((target / n).exists() for n in [new_step.name, current.name, touched.name, *kept_names])
    assert outside.exists() and (target / "linked-1234567-abcdef123456").is_symlink()
    assert pruned.logs == ["run-20260101-020000.log", f"dbt/{old_run}-1.json", f"dbt/{old_run}-2.json"]
    assert sorted(p.name for p in logs.iterdir()) == ["dbt", "notes.txt", "run-20261204-020000.log"]
    assert [p.name for p in (logs / "dbt").iterdir()] == ["mine.json"]


def _finished_runs(instance, n):
    @dagster.op
    def noop():
        return 1

    @dagster.job
    def tiny():
        noop()

    return [tiny.execute_in_process(instance=instance).run_id for _ in range(n)]


def test_finished_dagster_runs_before_the_boundary_are_deleted_never_the_current_one():
    with dagster.DagsterInstance.ephemeral() as instance:
        first, second, current = _finished_runs(instance, 3)
        running = instance.create_run_for_job(
            dagster.GraphDefinition(name="empty", node_defs=[]).to_job(), run_id=str(uuid.uuid4())
        )
        instance.report_run_canceling(running)  # CANCELING: not finished, so never deleted
        assert prune(instance, NOWHERE, None, 30).runs == []  # nothing older than 30 days yet
        later = datetime.now(UTC) + timedelta(days=31)
        pruned = prune(instance, NOWHERE, None, 30, now=later, current_run=current)
        assert sorted(pruned.runs) == sorted([first, second])
        left = {r.dagster_run.run_id for r in instance.get_run_records()}
        assert left == {current, running.run_id}


def test_the_setting_is_days_or_never():
    assert retain_days({}) == 30 and retain_days({"SIYU_RETAIN_RUNS_DAYS": " 7 "}) == 7
    assert retain_days({"SIYU_RETAIN_RUNS_DAYS": "never"}) is None
    assert retain_days({"SIYU_RETAIN_RUNS_DAYS": "0"}) == 0
    for bad in ["-1", "thirty", "1.5"]:
        with pytest.raises(ConfigError, match="SIYU_RETAIN_RUNS_DAYS"):
            retain_days({"SIYU_RETAIN_RUNS_DAYS": bad})
    assert prune(None, NOWHERE, None, None).line().startswith("pruned run artefacts: 0 Dagster runs")
