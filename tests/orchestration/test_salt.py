"""Issue 12: every command that hashes phones refuses a salt that would not protect them — missing,
under 32 bytes, published (the demo's, .env.example's) or an obvious pattern — from the CLI and
from the Dagster runs, schedule and sensor of `siyu ui`; the demo's salt only in var/demo/."""

from __future__ import annotations

import os
import subprocess

import dagster
import pytest
from salt_support import DAY, SALT_A, environment_kept, failure_text, land_leads, run_landing

import orchestration.cli
import orchestration.dbtparse
import orchestration.pipeline
import orchestration.salt
import orchestration.serve
import orchestration.settings
from orchestration.cli import main
from orchestration.definitions import defs
from orchestration.defs.resources import Warehouse
from orchestration.salt import ENV_EXAMPLE_SALT, salt_problem
from orchestration.settings import DEMO_PHONE_SALT, PROJECT_ROOT, demo_paths

GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
WEAK = {
    "missing": "",
    "blank": "   ",
    "one byte": "x",
    "31 bytes": "Jq3v0Zr8Wm1kT5xYb7Nc2Ld9Pf4Hs6G",
    "the demo's": DEMO_PHONE_SALT,
    ".env.example's": ENV_EXAMPLE_SALT,
    "the old .env.example's": "change-me-to-a-long-random-secret",
    "one character repeated": "a" * 48,
    "a short run repeated": "s3cr3t!" * 8,
    "seven characters shuffled": "abcdefgbadcfegabcdefgfedcbagabcdefgg",
}


@pytest.fixture
def strict(monkeypatch):
    """Outside the tests' own exemption (short test keys are allowed while pytest runs)."""
    monkeypatch.setattr(orchestration.salt, "tests_running", lambda: False)


@pytest.fixture
def cli_env(monkeypatch, tmp_path, strict):
    """`siyu run`/`siyu ui` over a loadable landing under tmp_path; neither may get going."""
    monkeypatch.setattr(orchestration.cli, "load_env_file", lambda: None)  # a developer's .env
    land_leads(tmp_path / "landing")
    monkeypatch.setenv("SIYU_LANDING_DIR", str(tmp_path / "landing"))
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "wh.duckdb"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    monkeypatch.delenv("SIYU_PUBLISHED", raising=False)

    def reached(*args, **kwargs):
        raise AssertionError("got going")

    monkeypatch.setattr(orchestration.pipeline, "run_pipeline", reached)
    monkeypatch.setattr(subprocess, "call", reached)
    with environment_kept():
        yield tmp_path


@pytest.mark.parametrize("salt", WEAK.values(), ids=WEAK.keys())
@pytest.mark.parametrize("command", ["run", "ui", "rekey"])
def test_the_cli_refuses_a_salt_that_would_not_protect(cli_env, monkeypatch, capsys, command, salt):
    monkeypatch.setenv("SIYU_PHONE_SALT", salt)
    assert main([command]) == 2
    err = capsys.readouterr().err
    assert err.startswith("siyu: SIYU_PHONE_SALT ") and err.count("\n") == 1, err
    assert GENERATE in err
    assert not (cli_env / "wh.duckdb").exists() and not (cli_env / "dagster").exists()


def test_a_strong_salt_is_accepted(strict, tmp_path):
    for salt in (SALT_A, "0f" * 8 + "3a9c5e7b1d2f4a6c8e0b" + "5d7f9a1c3e" * 2 + "24"):  # token_hex-like
        assert salt_problem(salt.encode(), tmp_path / "wh.duckdb", tmp_path / "landing") is None


def test_the_demo_salt_only_for_the_demos_own_folder(strict, tmp_path):
    warehouse, landing, _ = demo_paths()
    assert salt_problem(DEMO_PHONE_SALT.encode(), warehouse, landing) is None
    assert salt_problem(DEMO_PHONE_SALT.encode(), warehouse, tmp_path / "landing")  # real exports
    assert salt_problem(DEMO_PHONE_SALT.encode(), tmp_path / "wh.duckdb", landing)


def test_tests_may_use_short_keys_but_never_a_missing_or_published_one(tmp_path):
    where = (tmp_path / "wh.duckdb", tmp_path / "landing")
    assert salt_problem(b"test-salt", *where) is None  # PYTEST_CURRENT_TEST is set here
    assert salt_problem(b"", *where) and salt_problem(DEMO_PHONE_SALT.encode(), *where)


def test_the_env_example_placeholder_is_one_the_runs_refuse(strict, tmp_path):
    lines = (PROJECT_ROOT / ".env.example").read_text().splitlines()
    shipped = next(line.split("=", 1)[1] for line in lines if line.startswith("SIYU_PHONE_SALT="))
    assert shipped == ENV_EXAMPLE_SALT
    assert "published" in salt_problem(shipped.encode(), tmp_path / "wh.duckdb", tmp_path / "landing")


@pytest.mark.parametrize("salt", ["short-but-set", DEMO_PHONE_SALT], ids=["short", "demo"])
def test_dagster_runs_refuse_before_any_step_writes(strict, tmp_path, salt):
    """What a run launched from `siyu ui`, its nightly schedule or its sensor does: the Warehouse
    resource refuses, so no step loads a phone and no warehouse is created."""
    land_leads(tmp_path / "landing")
    warehouse = Warehouse(path=str(tmp_path / "wh.duckdb"), landing_dir=str(tmp_path / "landing"),
                          phone_salt=salt)
    result = run_landing(warehouse, DAY, DAY)
    assert not result.success
    assert GENERATE in failure_text(result)
    assert not (tmp_path / "wh.duckdb").exists()


def test_the_sensor_refuses_too(strict, tmp_path):
    land_leads(tmp_path / "landing")
    warehouse = Warehouse(path=str(tmp_path / "wh.duckdb"), landing_dir=str(tmp_path / "landing"),
                          phone_salt="x" * 40)
    with pytest.raises(dagster.DagsterResourceFunctionError) as refused:
        sensor = defs.resolve_sensor_def("landing_sensor")
        list(sensor(dagster.build_sensor_context(resources={"warehouse": warehouse})))
    assert "obvious pattern" in str(refused.value.__cause__)


def test_the_ui_without_a_salt_points_at_the_demo(cli_env, monkeypatch, capsys):
    monkeypatch.delenv("SIYU_PHONE_SALT", raising=False)
    assert main(["ui"]) == 2
    assert "`siyu ui --demo`" in capsys.readouterr().err


def test_the_ui_over_the_demo_uses_the_demo_folder_and_salt(cli_env, monkeypatch, tmp_path):
    monkeypatch.setattr(orchestration.settings, "DEMO_DIR", tmp_path / "demo")
    monkeypatch.setenv("SIYU_PHONE_SALT", SALT_A)
    seen = {}
    monkeypatch.setattr(orchestration.serve, "supervise", lambda cmds, cwd: seen.update(os.environ) or 0)
    monkeypatch.setattr(orchestration.dbtparse, "parse_dbt_project", lambda: False)  # not what is judged
    assert main(["ui", "--demo"]) == 0
    assert seen["SIYU_PHONE_SALT"] == DEMO_PHONE_SALT
    for key in ("SIYU_WAREHOUSE", "SIYU_LANDING_DIR", "SIYU_PUBLISHED", "DAGSTER_HOME", "SIYU_QUALITY_DOCS"):
        assert seen[key].startswith(str(tmp_path / "demo")), key
