"""A warehouse or published copy the pipeline could not write stops `siyu run` before anything runs,
in one line naming the path and what to do (not a traceback per asset while dbt keeps seeding)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

import orchestration.settings
from orchestration.cli import main
from orchestration.settings import ConfigError, Settings


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A loadable landing under tmp_path; reaching the pipeline (dbt included) fails the test."""
    import orchestration.pipeline

    day = tmp_path / "landing" / "youzan" / "trade" / "2026-10-01"
    day.mkdir(parents=True)
    (day / "a.jsonl").write_text("{}\n")
    monkeypatch.setenv("SIYU_LANDING_DIR", str(tmp_path / "landing"))
    monkeypatch.setenv("SIYU_PHONE_SALT", "s")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    monkeypatch.delenv("SIYU_PUBLISHED", raising=False)

    def reached(*args, **kwargs):
        raise AssertionError("the pipeline ran")

    monkeypatch.setattr(orchestration.pipeline, "run_pipeline", reached)
    monkeypatch.setattr(orchestration.pipeline, "parse_dbt_project", reached)
    return tmp_path


def refused(capsys, argv=("run",)) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("siyu: "), err  # one line
    return err.strip()


def test_a_warehouse_under_a_file(env, monkeypatch, capsys):
    (env / "data").write_text("not a folder")
    monkeypatch.setenv("SIYU_WAREHOUSE", str(env / "data" / "wh.duckdb"))
    wh = env / "data" / "wh.duckdb"
    assert refused(capsys) == (
        f"siyu: SIYU_WAREHOUSE={wh}: {env / 'data'} is a file, not a folder; choose a path under a folder"
    )
    assert not (env / "dagster").exists()


def test_a_warehouse_path_that_is_a_folder(env, monkeypatch, capsys):
    monkeypatch.setenv("SIYU_WAREHOUSE", str(env))
    assert "this is a folder; give the path of a DuckDB file inside it" in refused(capsys)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder(env, monkeypatch, capsys):
    ro = env / "ro"
    ro.mkdir(mode=0o555)
    monkeypatch.setenv("SIYU_WAREHOUSE", str(ro / "new" / "wh.duckdb"))
    try:
        assert f"cannot create files in {ro} (Permission denied)" in refused(capsys)
    finally:
        ro.chmod(0o755)


def test_a_read_only_file_system(env, monkeypatch, capsys):
    """What a read-only mount answers (even to root): EROFS on creating a file."""

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(orchestration.settings.tempfile, "TemporaryFile", read_only)
    monkeypatch.setenv("SIYU_WAREHOUSE", str(env / "out" / "wh.duckdb"))
    assert refused(capsys) == (
        f"siyu: SIYU_WAREHOUSE={env / 'out' / 'wh.duckdb'}: cannot create files in {env} "
        "(Read-only file system); choose a writable folder or fix its permissions"
    )


def test_the_published_copy_is_checked_too(env, monkeypatch, capsys):
    (env / "bi").write_text("")
    monkeypatch.setenv("SIYU_WAREHOUSE", str(env / "wh.duckdb"))
    monkeypatch.setenv("SIYU_PUBLISHED", str(env / "bi" / "marts_copy.duckdb"))
    assert refused(capsys).startswith(f"siyu: SIYU_PUBLISHED={env / 'bi' / 'marts_copy.duckdb'}: ")


def test_missing_folders_that_can_be_created_pass_and_are_not_created(env, monkeypatch):
    monkeypatch.setenv("SIYU_WAREHOUSE", str(env / "a" / "b" / "wh.duckdb"))
    Settings.from_env().check_writable()
    assert not (env / "a").exists()


def test_a_warehouse_another_process_holds(env, monkeypatch, capsys):
    """DuckDB has one writer: a BI tool or `siyu ui` holding the file would fail every step."""
    import duckdb

    wh = env / "wh.duckdb"
    duckdb.connect(str(wh)).close()
    hold = f"import duckdb, sys; c = duckdb.connect({str(wh)!r}); print(1, flush=True); sys.stdin.read()"
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "text": True}
    holder = subprocess.Popen([sys.executable, "-c", hold], **pipes)
    try:
        holder.stdout.readline()
        monkeypatch.setenv("SIYU_WAREHOUSE", str(wh))
        err = refused(capsys)
    finally:
        holder.communicate("")
    assert err.startswith(f"siyu: SIYU_WAREHOUSE={wh}: open in another process (")
    assert f"(PID {holder.pid})" in err and "close it and run again" in err


def test_demo_checks_before_simulating(env, monkeypatch, capsys):
    """The demo's own warehouse (var/demo/, whatever SIYU_WAREHOUSE says) is checked first."""
    import simulator

    def simulate(*args, **kwargs):
        raise AssertionError("simulated before checking the warehouse")

    monkeypatch.setattr(simulator, "simulate", simulate)
    (env / "data").write_text("")
    monkeypatch.setattr(orchestration.settings, "DEMO_DIR", env / "data" / "demo")
    for variable in ("SIYU_WAREHOUSE", "SIYU_LANDING_DIR", "SIYU_PHONE_SALT", "SIYU_QUALITY_DOCS"):
        monkeypatch.setenv(variable, os.environ.get(variable, ""))  # put back after the demo exports
    assert "is a file, not a folder" in refused(capsys, ["demo", "--customers", "10", "--days", "2"])


def test_check_names_the_variable(monkeypatch, tmp_path):
    (tmp_path / "f").write_text("")
    monkeypatch.setenv("SIYU_PHONE_SALT", "s")
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "f" / "wh.duckdb"))
    with pytest.raises(ConfigError, match=r"^SIYU_WAREHOUSE="):
        Settings.from_env().check_writable()
