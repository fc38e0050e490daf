"""A night's Dagster run history is written without a disk flush per event, and nothing of it is lost."""

from __future__ import annotations

import sqlite3

from dagster import DagsterEventType, DagsterInstance, EventRecordsFilter, job, op
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from orchestration.run_history import unflushed_run_history

FULL, NORMAL = 2, 1  # PRAGMA synchronous values


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

    instance = DagsterInstance.local_temp(str(tmp_path))
    with unflushed_run_history(tmp_path) as keepers:
        result = night.execute_in_process(instance=instance)
        assert keepers  # the run's own file and the run index
    assert result.success
    records = instance.get_event_records(EventRecordsFilter(DagsterEventType.STEP_SUCCESS))
    assert [r.event_log_entry.run_id for r in records] == [result.run_id]
    assert instance.get_run_by_id(result.run_id).is_success
