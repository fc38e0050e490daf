"""What the warm dbt process refuses to fork for, and how the client reads a step's end: fast checks,
no dbt run (the runs are in test_warm.py)."""

from __future__ import annotations

import io
import threading

import duckdb

from orchestration.dbt_client import EXIT, relay
from orchestration.defs.dbt import dbt_args
from orchestration.warm import inherited, servable

PROJECT = "/srv/siyu/dbt_project"
ENV = {"DBT_PROJECT_DIR": PROJECT, "DBT_PROFILES_DIR": PROJECT}


def _request(*args: str, cwd: str = PROJECT, **env: str) -> dict:
    return {"args": list(args), "cwd": cwd, "env": {**ENV, **env}}


def test_a_nights_build_is_served_in_the_project_parsed():
    selection = ["--select", "siyu.staging.org.stg_org__stores", "siyu.marts.rfm.rfm_scores"]
    assert servable(_request(*dbt_args(), *selection), PROJECT)
    assert servable(_request(*dbt_args(full_refresh=True), *selection), PROJECT)


def test_what_could_need_another_parse_runs_as_plain_dbt():
    night = dbt_args()
    assert not servable(_request(*night, "--vars", "{clv_holdout_days: 30}"), PROJECT)
    assert not servable(_request(*night, "--target", "prod"), PROJECT)
    assert not servable(_request(*night, "--selector", "dagster_run_1"), PROJECT)
    assert not servable(_request("run", *night[1:]), PROJECT)
    assert not servable(_request("parse"), PROJECT)
    assert not servable({"args": [], "cwd": PROJECT, "env": ENV}, PROJECT)
    # dagster-dbt runs a large selection from a copy of the project (its selectors.yml)
    assert not servable(_request(*night, cwd="/tmp/tmpcopy", DBT_PROJECT_DIR="/tmp/tmpcopy"), PROJECT)
    assert not servable(_request(*night, DBT_PROFILES_DIR="/elsewhere"), PROJECT)


def test_a_thread_or_an_open_warehouse_is_seen_before_a_fork(tmp_path):
    # another module on this test worker may hold a warehouse open: judge this one's file
    mine = str(tmp_path / "w.duckdb")
    assert not [f for f in inherited() if f.startswith(mine)]
    con = duckdb.connect(mine)
    try:
        assert [f for f in inherited() if f.endswith("w.duckdb")]
    finally:
        con.close()
    assert not [f for f in inherited() if f.startswith(mine)]
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert any(f.endswith("threads") for f in inherited())
    finally:
        stop.set()
        thread.join()


class _Chunks(io.RawIOBase):
    """A socket's stream, delivering the bytes in chunks of a given size."""

    def __init__(self, data: bytes, size: int):
        self.data, self.size = data, size

    def read(self, n: int = -1) -> bytes:
        chunk, self.data = self.data[: min(n, self.size)], self.data[min(n, self.size):]
        return chunk


def test_the_client_prints_dbt_output_and_exits_with_the_steps_code():
    output = b'{"info": {"name": "NodeFinished"}}\n' * 50
    for size in (1, 7, 64, 65536):  # the marker split across reads anywhere
        out = io.BytesIO()
        assert relay(_Chunks(output + EXIT + b"1\n", size), out) == 1
        assert out.getvalue() == output
    out = io.BytesIO()
    assert relay(_Chunks(output + EXIT + b"-9\n", 5), out) == -9  # the step was killed
    assert out.getvalue() == output


def test_a_stream_that_ends_without_the_code_fails_the_step():
    out = io.BytesIO()
    assert relay(_Chunks(b"half a step\n", 4), out) == 2
    assert out.getvalue().startswith(b"half a step\n")
    assert b"ended before this dbt step did" in out.getvalue()
