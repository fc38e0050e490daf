"""A night's Dagster run history is written without a disk flush per event, and nothing of it is lost."""

from __future__ import annotations

import sqlite3

from dagster import AssetKey, DagsterEventType, DagsterInstance, EventRecordsFilter, job, op
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from orchestration.run_history import _main_file, pooled_event_log, unflushed_run_history

FULL, NORMAL = 2, 1  # PRAGMA synchronous values
NO_TELEMETRY = {"telemetry": {"enabled": False}}


def _wal_file(path):
    con = sqlite3.connect(path)
    con.execute("pragma journal_mode=wal")
    con.execute("create table if not exists t (x integer)")
    con.commit()
    con.close()
    return path


def _as_dagster_does(path, value=1) -> int:
    """Dagster's SQLite storage: an engine and a connection per write, closed after it. Returns the
    connection's synchronous setting."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn, conn.begin():
        conn.execute(text("insert into t values (:v)"), {"v": value})
        sync = conn.execute(text("pragma synchronous")).scalar()
    engine.dispose()
    return sync


def test_files_under_the_home_skip_the_flush_and_keep_an_idle_connection(tmp_path):
    home, elsewhere = tmp_path / "dagster", tmp_path / "other"
    home.mkdir()
    elsewhere.mkdir()
    ours, theirs = _wal_file(home / "index.db"), _wal_file(elsewhere / "x.db")
    with unflushed_run_history(home) as keepers:
        assert _as_dagster_does(ours, 1) == NORMAL
        assert _as_dagster_does(theirs, 1) == FULL  # not Dagster's: as it was
        assert list(keepers) == [str(ours)]
        # a closing connection is not the file's last one: the WAL stays (no checkpoint per write)
        assert (home / "index.db-wal").exists()
    assert _as_dagster_does(ours, 2) == FULL  # the listener is gone once the night is over
    assert sqlite3.connect(ours).execute("select x from t order by x").fetchall() == [(1,), (2,)]


def test_a_file_created_during_the_night_gets_its_idle_connection_once_in_wal_mode(tmp_path):
    """A run's own event file is created within the night, in rollback mode until Dagster turns WAL
    on; an idle connection opened before that would not count as one of the WAL's readers."""
    path = tmp_path / "run.db"
    with unflushed_run_history(tmp_path) as keepers:
        engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
        with engine.connect() as conn, conn.begin():
            conn.execute(text("create table t (x integer)"))
        assert keepers == {}
        with engine.connect() as conn:
            conn.execute(text("pragma journal_mode=wal"))
        engine.dispose()
        _as_dagster_does(path)
        assert list(keepers) == [str(path)]


def test_a_run_executed_within_keeps_every_event(tmp_path):
    @op
    def step():
        return 1

    @job
    def night():
        step()

    instance = DagsterInstance.local_temp(str(tmp_path), overrides=NO_TELEMETRY)
    with unflushed_run_history(tmp_path) as keepers:
        result = night.execute_in_process(instance=instance)
        assert keepers  # the run's own file and the run index
    assert result.success
    records = instance.get_event_records(EventRecordsFilter(DagsterEventType.STEP_SUCCESS))
    assert [r.event_log_entry.run_id for r in records] == [result.run_id]
    assert instance.get_run_by_id(result.run_id).is_success


def _event_types(instance, run_id):
    records = instance.get_records_for_run(run_id, limit=10_000).records
    entries = [r.event_log_entry for r in records]
    return [e.dagster_event.event_type_value for e in entries if e.is_dagster_event]


def test_pooled_event_log_stores_the_same_events_over_far_fewer_connections(tmp_path):
    from dagster import AssetCheckResult, asset, asset_check, materialize

    @asset
    def a():
        return 1

    @asset(deps=[a])
    def b():
        return 2

    @asset_check(asset=b)
    def b_ok():
        return AssetCheckResult(passed=True)

    opened = []

    def count(dbapi_connection, _record):  # connections to the event log's files (history/runs/)
        if "/history/runs/" in _main_file(dbapi_connection):
            opened.append(1)

    (tmp_path / "plain").mkdir()
    (tmp_path / "pooled").mkdir()
    plain = DagsterInstance.local_temp(str(tmp_path / "plain"), overrides=NO_TELEMETRY)
    pooled = DagsterInstance.local_temp(str(tmp_path / "pooled"), overrides=NO_TELEMETRY)
    event.listen(Engine, "connect", count)
    try:
        first = materialize([a, b, b_ok], instance=plain)
        per_statement, opened[:] = len(opened), []
        with pooled_event_log(pooled) as engines:
            second = materialize([a, b, b_ok], instance=pooled)
            assert set(engines) == {second.run_id, "index"}  # one engine per file written
        reused = len(opened)
    finally:
        event.remove(Engine, "connect", count)
    assert first.success and second.success
    assert _event_types(pooled, second.run_id) == _event_types(plain, first.run_id)
    for instance, run in ((plain, first), (pooled, second)):  # the index answers as before
        assert instance.get_latest_materialization_event(AssetKey("b")).run_id == run.run_id
        assert instance.get_run_by_id(run.run_id).is_success
    # pooled: the run's file (Dagster's schema set-up opens two more), the index and the two tables
    # asked after, each once
    assert per_statement > 50 and reused <= 5, (per_statement, reused)
    assert not {"_connect", "has_table"} & set(vars(pooled.event_log_storage))  # Dagster's own again
    pooled.event_log_storage.get_logs_for_run(second.run_id)  # and it still works


def test_other_event_logs_are_left_alone():
    instance = DagsterInstance.ephemeral()  # in memory
    with pooled_event_log(instance) as engines:
        assert engines == {} and "_connect" not in vars(instance.event_log_storage)
