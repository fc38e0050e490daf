"""A night's dbt steps through the warm dbt process give what `dbt` itself gives: the same node
events (what dagster-dbt turns into materializations and checks), the same exit codes, the same
run_results.json, the same tables; a failure fails the step as it would; when the warm process
cannot take a step (gone, or the project changed since it parsed), the client runs dbt itself."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import duckdb
import pytest
from warm_support import DBT, tiny_project

from orchestration.warm import warm_dbt

pytestmark = pytest.mark.build


@pytest.fixture
def project(tmp_path, monkeypatch):
    root, env, warehouse = tiny_project(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return root, env, warehouse


def _step(executable: str, root: Path, env: dict, target: str, *args: str) -> subprocess.CompletedProcess:
    """A dbt step as dagster-dbt starts one: its own target folder, output on stdout."""
    path = root / "target" / target
    env = {**env, "DBT_TARGET_PATH": str(path), "DBT_LOG_PATH": str(path)}
    return subprocess.run([executable, "build", *args], cwd=root, env=env, capture_output=True, text=True)


def _events(out: str) -> list[tuple]:
    """dbt's node events, as dagster-dbt reads them (the parse's own lines differ)."""
    events = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    nodes = [(e["info"]["name"], e["data"]["node_info"]) for e in events if e["data"].get("node_info")]
    return sorted((name, _named(node["unique_id"]), node["node_status"]) for name, node in nodes)


def _named(unique_id: str) -> str:
    return unique_id.rsplit(".", 1)[0] if unique_id.startswith("test.") else unique_id  # a test's hash off


def _results(root: Path, target: str) -> list[tuple]:
    """run_results.json as `siyu doctor` reads it: each node's status, message and failures."""
    results = json.loads((root / "target" / target / "run_results.json").read_text())["results"]
    return sorted((r["unique_id"], r["status"], r["message"], r["failures"]) for r in results)


def _parsed(root: Path, target: str) -> bool:
    """The step parsed the project: a `dbt` process leaves its parse state in its target folder."""
    return (root / "target" / target / "partial_parse.msgpack").is_file()


def test_a_step_through_the_warm_process_runs_as_dbt_does(project):
    root, env, warehouse = project
    plain = _step(DBT, root, env, "plain")
    with warm_dbt(root, root / "target") as client:
        warm = _step(client, root, env, "warm")
        with duckdb.connect(str(warehouse)) as con:  # the warm process does not hold the file
            con.execute("insert into raw.numbers values (2)")
        failing = _step(client, root, env, "failing")  # the unique test fails
    plain_failing = _step(DBT, root, env, "plain_failing")
    assert plain.returncode == warm.returncode == 0, warm.stdout + warm.stderr
    assert _events(warm.stdout) == _events(plain.stdout)  # dagster-dbt reads these
    assert _results(root, "warm") == _results(root, "plain")
    assert _parsed(root, "plain") and not _parsed(root, "warm")  # the warm step did not parse
    assert failing.returncode == plain_failing.returncode == 1  # dbt's "a node failed"
    assert ("LogTestResult", "test.tiny.unique_numbers_n", "fail") in _events(failing.stdout)
    assert _events(failing.stdout) == _events(plain_failing.stdout)
    assert _results(root, "failing") == _results(root, "plain_failing")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from main.numbers").fetchone()[0] == 3  # built, then tested


def test_a_model_error_fails_the_step_as_dbt_does(project):
    root, env, warehouse = project
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop table raw.numbers")  # the model's source is gone: a runtime error
    with warm_dbt(root, root / "target") as client:
        warm = _step(client, root, env, "warm")
    plain = _step(DBT, root, env, "plain")
    assert not _parsed(root, "warm")
    assert warm.returncode == plain.returncode == 1
    assert ("LogModelResult", "model.tiny.numbers", "error") in _events(warm.stdout)
    assert _events(warm.stdout) == _events(plain.stdout)
    assert _results(root, "warm") == _results(root, "plain")


def test_a_step_after_the_project_changed_runs_dbt_itself(project):
    root, env, warehouse = project
    with warm_dbt(root, root / "target") as client:
        _step(client, root, env, "first")  # served: the warm process has parsed by now
        (root / "models" / "numbers.sql").write_text("select 10 * n as n from {{ source('raw', 'numbers') }}")
        changed = _step(client, root, env, "changed")
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert not _parsed(root, "first") and _parsed(root, "changed")  # dbt itself, parsing the new code
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select sum(n) from main.numbers").fetchone()[0] == 30


def test_without_the_warm_process_the_client_runs_dbt_itself(project, tmp_path):
    root, env, _ = project
    with warm_dbt(root, root / "target") as client:
        script = Path(client).read_text()
    # the night is over: the process and its socket are gone, the script is a plain dbt
    (tmp_path / "dbt").write_text(script)
    (tmp_path / "dbt").chmod(0o755)
    done = _step(str(tmp_path / "dbt"), root, env, "alone")
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(_events(done.stdout)) == 6  # a start and a result for the model and each test
    assert _parsed(root, "alone")


def test_the_warm_process_dying_during_a_step_fails_the_step(project):
    root, env, _ = project
    # a model that runs long enough to kill the warm process under it (~0.5 s of DuckDB work)
    slow = "select sum(a.range * b.range) as s from range(6000) as a, range(6000) as b"
    (root / "models" / "slow.sql").write_text(slow)
    subprocess.run([DBT, "parse", "--quiet"], cwd=root, env=env, check=True)
    target = root / "target" / "dying"
    with warm_dbt(root, root / "target") as client:
        step = subprocess.Popen([client, "build"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env={**env, "DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target)})
        started = next(line for line in step.stdout if b"LogStartLine" in line)  # its first node
        assert b'"node_status": "started"' in started
        os.kill(_warm_pid(), signal.SIGKILL)
        out = step.stdout.read()
        assert step.wait() == 2
    assert b"the warm dbt process ended before this dbt step did" in out


def _warm_pid() -> int:
    """The warm process this test started (a child of this process)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and b"orchestration.warm" in cmdline:
            return int(pid)
    raise AssertionError("no warm process")
