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
