"""The landing and raw checks begun ahead of Dagster's run (orchestration/ahead.py): the landing's
worker loads what the landing step loads in process (the same summaries, logged lines and raw rows),
the raw checks follow it under the run's id; a step asking for something else gets nothing begun
ahead, only once that work has ended; a failed landing comes back as its worker's error and the raw
checks are then never sent."""

from datetime import date

import duckdb
import pytest

from ingestion.contracts import CONTRACTS
from ingestion.load.night import LandingRequest, days_by_table, land
from orchestration.ahead import (
    AHEAD,
    Ahead,
    ahead_seconds,
    begun_ahead,
    checked_ahead,
    landed_ahead,
)
from orchestration.connect import open_warehouse
from orchestration.worker import night_workers
from quality import worker as raw_checks_worker
from simulator import simulate

SALT = b"an-ahead-test-salt-that-is-long-and-random-7d2e9a"
LAST = date(2026, 10, 31)
FIRST = date(2026, 10, 30)
TABLES = tuple(sorted((c.source, c.entity) for c in CONTRACTS.values()))


@pytest.fixture(autouse=True)
def workers_wanted(monkeypatch):
    monkeypatch.setenv("SIYU_NIGHT_WORKERS", "1")


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    out = tmp_path_factory.mktemp("ahead") / "landing"
    simulate(out, customers=40, days=4, seed=8, end_date=LAST)
    return out


def _folders(landing) -> tuple[str, ...]:
    return tuple(sorted(f"{d.parent.parent.name}/{d.parent.name}/{d.name}"
                        for d in landing.glob("*/*/2026-*") if d.is_dir()))


def _raw_rows(path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' "
            "and table_name not like '\\_%' escape '\\' order by 1").fetchall()]
        return {n: con.execute(f'select count(*) from raw."{n}"').fetchone()[0] for n in names}


def _requests(landing, warehouse, run_id="run-ahead", folders=None):
    folders = _folders(landing) if folders is None else folders
    return (LandingRequest(str(warehouse), SALT, str(landing), TABLES, FIRST, LAST, folders, run_id),
            raw_checks_worker.Request(str(warehouse), SALT, (("mp", "event"), ("oa", "user")), FIRST, LAST,
                                      run_id, None))


def test_the_landing_begun_ahead_loads_what_the_step_loads_and_the_checks_follow(landing, tmp_path):
    # the landing step in process, on a warehouse of its own
    here = tmp_path / "here.duckdb"
    logged_here = []
    with open_warehouse(here, SALT) as con:
        loaded_here = [((c.source, c.entity), s.metadata()) for c, s in land(
            con, landing, list(TABLES), FIRST, LAST, SALT, days_by_table(list(_folders(landing))),
            "run-ahead", lambda line: logged_here.append((20, line)),
            lambda line: logged_here.append((30, line)))]
    there = tmp_path / "there.duckdb"
    landing_request, checks_request = _requests(landing, there)
    with night_workers() as workers, begun_ahead(workers, landing_request, checks_request) as ahead:
        assert AHEAD.get() is ahead
        landed = landed_ahead(landing_request)
        summaries, _ = checked_ahead(checks_request)
        assert ahead_seconds("landing") > 0 and ahead_seconds("raw_quality") > 0
    assert AHEAD.get() is None and ahead_seconds("landing") is None
    assert landed.tables == loaded_here and landed.logged == logged_here
    assert sum(m["rows_loaded"] for _, m in landed.tables) > 200  # something was loaded to compare
    assert _raw_rows(there) == _raw_rows(here)
    # the checks ran on what was landed, under the run's id
    assert {(s.source, s.entity) for s in summaries} == {("mp", "event"), ("oa", "user")}
    with duckdb.connect(str(there), read_only=True) as con:
        runs = con.execute("select distinct run_id from quality.validation_results").fetchall()
        pending = con.execute("select distinct run_id from raw._landing_pending").fetchall()
    assert runs == [("run-ahead",)] and pending == [("run-ahead",)]


def test_a_step_asking_for_something_else_gets_nothing_once_the_work_begun_ahead_ended(landing, tmp_path):
    landing_request, checks_request = _requests(landing, tmp_path / "w.duckdb")
    with night_workers() as workers, begun_ahead(workers, landing_request, checks_request) as ahead:
        other = _requests(landing, tmp_path / "w.duckdb", run_id="another-run")
        assert landed_ahead(other[0]) is None
        assert not ahead._thread.is_alive()  # the warehouse is free for the step's own work
        # the checks begun ahead checked the landing begun ahead, not the one the step does itself
        assert checked_ahead(checks_request) is None
        assert ahead_seconds("landing") is None and ahead_seconds("raw_quality") is None
    assert landed_ahead(landing_request) is None  # nothing begun ahead outside a night


def test_a_failed_landing_comes_back_as_its_error_and_the_checks_are_never_sent(landing, tmp_path):
    # a warehouse keyed with another salt: the landing's worker refuses it
    with open_warehouse(tmp_path / "w.duckdb", b"another-salt-" * 4):
        pass
    landing_request, checks_request = _requests(landing, tmp_path / "w.duckdb")
    with night_workers() as workers:
        ahead = Ahead(workers, landing_request, checks_request)
        ahead.wait()
        with pytest.raises(RuntimeError, match="(?s)land_request failed in its worker.*SaltMismatch"):
            ahead.answer("landing", landing_request)
        with pytest.raises(RuntimeError, match="not begun: landing failed"):
            ahead.answer(raw_checks_worker.NAME, checks_request)
        assert not workers.started[raw_checks_worker.NAME].used


def test_nothing_is_begun_ahead_with_nothing_to_load_or_on_a_night_that_builds_the_seeds(tmp_path):
    from contextlib import nullcontext

    import orchestration.pipeline as pipeline

    with night_workers() as workers:
        for folders, seeds in (([], False), (["org/store/2026-10-31"], True)):
            begun = pipeline._ahead(workers, None, FIRST, LAST, folders, "run", seeds)
            assert isinstance(begun, nullcontext) and not workers.started


def test_no_worker_is_started_when_they_are_not_wanted(monkeypatch):
    from orchestration.settings import ConfigError
    from orchestration.worker import NIGHT_WORKERS, workers_wanted

    monkeypatch.setenv("SIYU_NIGHT_WORKERS", "0")
    with night_workers() as workers:
        assert workers is None and NIGHT_WORKERS.get() is None  # every step in the night's process
    monkeypatch.setenv("SIYU_NIGHT_WORKERS", "yes")
    with pytest.raises(ConfigError, match="SIYU_NIGHT_WORKERS=yes: 1 .* or 0"):
        workers_wanted()
    monkeypatch.delenv("SIYU_NIGHT_WORKERS")
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert not workers_wanted()  # one core: a worker only adds its imports
