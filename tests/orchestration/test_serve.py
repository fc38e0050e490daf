"""Production mode: the definitions `siyu serve` loads, the Dagster home it writes, and the pair of
processes it keeps together."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import dagster
import pytest

from orchestration.defs.build import build_definitions
from orchestration.defs.partitions import daily_partitions
from orchestration.serve import DAGSTER_YAML, commands, supervise

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def test_production_runs_the_schedule_and_sensor_the_ui_leaves_them_stopped():
    production = build_definitions(daily_partitions(), automation=True)
    development = build_definitions(daily_partitions())
    for defs, status in ((production, "RUNNING"), (development, "STOPPED")):
        schedule = defs.resolve_schedule_def("nightly_schedule")
        sensor = defs.resolve_sensor_def("landing_sensor")
        assert schedule.default_status.name == status and sensor.default_status.name == status
        # a failed night refreshes the published copy's quality summary (orchestration/defs/failures.py)
        assert defs.resolve_sensor_def("quality_after_a_stopped_night").default_status.name == status
        assert schedule.execution_timezone == "Asia/Shanghai" and schedule.cron_schedule == "0 2 * * *"
        # every run in one process: one DuckDB writer, no 2 s per step
        assert defs.resolve_job_def("nightly").executor_def.name == "in_process"


def test_the_nightly_schedule_asks_for_the_day_that_just_ended():
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    defs = build_definitions(daily_partitions(date(2026, 10, 1)), automation=True)
    schedule, repo = defs.resolve_schedule_def("nightly_schedule"), defs.get_repository_def()
    at_two = datetime(2026, 11, 1, 2, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # 2026-10-31 18:00 UTC
    (request,) = schedule.evaluate_tick(
        dagster.build_schedule_context(scheduled_execution_time=at_two, repository_def=repo)
    ).run_requests
    assert request.partition_key == "2026-10-31"
    first = datetime(2026, 10, 1, 2, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # no day before the first
    assert not schedule.evaluate_tick(
        dagster.build_schedule_context(scheduled_execution_time=first, repository_def=repo)
    ).run_requests


def test_the_dagster_home_queues_one_run_at_a_time(tmp_path):
    (tmp_path / "dagster.yaml").write_text(DAGSTER_YAML)
    with dagster.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert instance.run_coordinator.get_run_queue_config().max_concurrent_runs == 1
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
        assert not instance.telemetry_enabled


def test_the_pair_stops_together_when_one_exits():
    started = time.monotonic()
    code = supervise([SLEEPER, [sys.executable, "-c", "import sys; sys.exit(3)"]], poll=0.1)
    assert code == 3 and time.monotonic() - started < 30  # the sleeper was stopped, not waited for


def test_a_stop_request_stops_both_and_what_they_started(tmp_path):
    """Each child starts a grandchild (as the daemon starts its code server and a run): all four go."""
    pids = tmp_path / "pids"
    child = (
        "import os, subprocess, sys, time; "
        "g = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); "
        f"open({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n{{g.pid}}\\n'); time.sleep(120)"
    )
    script = textwrap.dedent(f"""
        import sys
        from orchestration.serve import supervise
        sys.exit(supervise([[sys.executable, "-c", {child!r}]] * 2, poll=0.1))
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], env=os.environ | {"PYTHONPATH": os.getcwd()})
    deadline = time.monotonic() + 30
    while (not pids.exists() or len(pids.read_text().split()) < 4) and time.monotonic() < deadline:
        time.sleep(0.1)
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(timeout=40) == 0
    for pid in map(int, pids.read_text().split()):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_the_commands_are_the_installed_webserver_and_daemon():
    web, daemon = commands("127.0.0.1", 3001)
    assert os.path.exists(web[0]) and os.path.exists(daemon[0])
    assert web[1:] == ["-m", "orchestration.production", "-h", "127.0.0.1", "-p", "3001"]
    assert daemon[1:] == ["run", "-m", "orchestration.production"]
