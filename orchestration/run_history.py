"""Dagster's run history (SQLite files in the Dagster home) written without a disk flush per event.

Dagster's default storage opens a new SQLite connection for every event it stores, commits and closes
it. In WAL mode with SQLite's default `synchronous=FULL`, each commit flushes the WAL to disk, and the
close of a file's last connection checkpoints it (two more flushes). A demo night stores ~2,600
events, ~8,000 connections: measured here at 13-18 ms each, a minute of a night spent waiting on
the disk, 13 s of it before the run's first step (Dagster records every planned materialization
and check first).

While `siyu run`'s night executes, every Dagster SQLite connection gets `synchronous=NORMAL` (in WAL
mode: no flush at commit, only at checkpoints; a power cut may lose the last events, never corrupt the
file — SQLite's documentation) and one idle connection per file stays open, so a closing connection
is never the last one and does not checkpoint: 0.3 ms an event. The files are checkpointed once, when
the night ends. Other storages (Postgres in a brand's dagster.yaml) are left as they are.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _main_file(dbapi_connection) -> str:
    return next((row[2] for row in dbapi_connection.execute("pragma database_list") if row[1] == "main"), "")


def _wal(dbapi_connection) -> bool:
    return dbapi_connection.execute("pragma journal_mode").fetchone()[0].lower() == "wal"


@contextmanager
def unflushed_run_history(home: Path) -> Iterator[dict[str, sqlite3.Connection]]:
    """Within: Dagster's SQLite files under `home` as above. Yields the idle connections kept open
    (by file), closed on the way out."""
    home = home.resolve()
    keepers: dict[str, sqlite3.Connection] = {}
    ours: dict[str, bool] = {}  # by file: under `home`? (resolved once: ~8,000 connections a night)

    def on_connect(dbapi_connection, _record) -> None:
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        name = _main_file(dbapi_connection)
        if name not in ours:
            ours[name] = bool(name) and Path(name).resolve().is_relative_to(home)
        if not ours[name]:
            return
        dbapi_connection.execute("pragma synchronous=NORMAL")
        # A run's own file is created within the night, in rollback mode until Dagster turns WAL on:
        # the idle connection must first read it in WAL mode, or it does not count as one (measured:
        # every close still checkpointed, 10,000 flushes a night).
        if name not in keepers and _wal(dbapi_connection):
            keeper = sqlite3.connect(name, check_same_thread=False)
            keeper.execute("select count(*) from sqlite_master").fetchall()  # joins the WAL
            keepers[name] = keeper

    event.listen(Engine, "connect", on_connect)
    try:
        yield keepers
    finally:
        event.remove(Engine, "connect", on_connect)
        for keeper in keepers.values():
            keeper.close()


@contextmanager
def pooled_event_log(instance) -> Iterator[dict[str, Engine]]:
    """Within: Dagster's default event log (SqliteEventLogStorage, one SQLite file a run and an index
    file) keeps one engine per file and reuses its connections, where it creates an engine, opens a
    connection, and disposes of both for every statement (~8,400 times a demo night, ~0.43 ms each
    of Python: ~3.6 s of the night; the statements, their transactions and commits are unchanged),
    and remembers which of its tables exist (asked with yet another engine before each asset event).
    Yields the engines (by shard), disposed on the way out. Any other event log storage (Postgres,
    the consolidated SQLite one) is left as it is and nothing is yielded.

    Dagster holds its storage's lock while a connection is in use and never nests two, so at most one
    of a file's pooled connections is in use at once, as with a new connection per statement. The
    storage's own `_connect` is shadowed on this instance only and restored after; its name and the
    helpers used here are Dagster 1.13's (pyproject pins the minor version)."""
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
        SQLITE_BUSY_TIMEOUT_SECONDS,
        SqliteEventLogStorage,
    )
    from sqlalchemy import create_engine

    storage = instance.event_log_storage
    engines: dict[str, Engine] = {}
    if type(storage) is not SqliteEventLogStorage:
        yield engines
        return

    @contextmanager
    def connect(shard: str):
        with storage._db_lock:
            engine = engines.get(shard)
            if engine is None:
                engine = create_engine(storage.conn_string_for_shard(shard),
                                       connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
                engines[shard] = engine
            if shard not in storage._initialized_dbs:
                storage._initdb(engine)
                storage._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    tables: dict[str, bool] = {}
    has_table = storage.has_table

    def known_table(table_name: str) -> bool:
        # asked before every asset and check event is stored (whether the index has its tag and
        # check tables), through a new engine each time; the night's code creates no table
        if table_name not in tables:
            tables[table_name] = has_table(table_name)
        return tables[table_name]

    storage._connect, storage.has_table = connect, known_table
    try:
        yield engines
    finally:
        del storage._connect, storage.has_table
        for engine in engines.values():
            engine.dispose()
