"""Which landing day folders changed since the warehouse last built from them.

A day folder `<source>/<entity>/<day>/` is fingerprinted by its files' names, sizes and mtimes
(stat calls only: ~1,000 folders of a 60-day landing take ~30 ms; hashing their bytes would read
the whole landing every night). `siyu run` and the landing sensor share this definition.

The warehouse keeps, in raw._landing_fingerprints, the fingerprint each day folder had when it was
loaded by a night that then finished (every step, the publish included): a night that stops keeps
none of its new fingerprints, so the next one loads those days again and re-checks them (after a
`siyu accept`, say). `siyu rekey` drops schema `raw`, and with it every fingerprint: the next night
loads everything. A folder that disappears from the landing keeps its raw rows, as a full reload
would leave them (the loader loads only folders that exist).

Two commands change raw outside a night and say so here: `siyu retain --apply` records the date
before which raw history was deleted (raw._retention) — folders older than it are never loaded
again, not even by a full refresh, so retention holds while the exports stay — and it, like
`siyu forget`, asks for a rebuild (raw._rebuild_requests): the next night rebuilds the models and
the published copy even when no folder changed, and clears the request once it has published.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingestion.landing.layout import discover, partition_files

TABLE = "raw._landing_fingerprints"
DDL = f"""create table if not exists {TABLE} (
    source varchar, entity varchar, business_date date, fingerprint varchar, built_at timestamptz
)"""


RETENTION = "raw._retention"
REBUILDS = "raw._rebuild_requests"


def _has_table(con, qualified: str) -> bool:
    schema, name = qualified.split(".")
    return con.execute(
        "select 1 from information_schema.tables where table_catalog = current_database() "
        "and table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone() is not None


def retained_before(con) -> date | None:
    """The latest retention boundary applied to raw (None: never applied)."""
    if not _has_table(con, RETENTION):
        return None
    return con.execute(f"select max(raw_before) from {RETENTION}").fetchone()[0]


def record_retention(con, raw_before: date) -> None:
    con.execute("create schema if not exists raw")
    con.execute(f"create table if not exists {RETENTION} (raw_before date, applied_at timestamptz)")
    con.execute(f"insert into {RETENTION} values (?, now())", [raw_before])


def request_rebuild(con, reason: str) -> None:
    """Ask the next night to rebuild the models and the published copy even if nothing changed."""
    con.execute("create schema if not exists raw")
    con.execute(f"create table if not exists {REBUILDS} (reason varchar, requested_at timestamptz)")
    con.execute(f"insert into {REBUILDS} values (?, now())", [reason])


def rebuild_requests(con) -> list[str]:
    if not _has_table(con, REBUILDS):
        return []
    return [r for (r,) in con.execute(f"select reason from {REBUILDS} order by requested_at").fetchall()]


def clear_rebuild_requests(con) -> None:
    if _has_table(con, REBUILDS):
        con.execute(f"delete from {REBUILDS}")


def folder_key(source: str, entity: str, day: date) -> str:
    return f"{source}/{entity}/{day.isoformat()}"


def split_key(key: str) -> tuple[str, str, date]:
    source, entity, day = key.split("/")
    return source, entity, date.fromisoformat(day)


def fingerprints(landing_dir: Path) -> dict[str, str]:
    """'source/entity/YYYY-MM-DD' → hash of its files' (name, size, mtime), for every loadable day."""
    out = {}
    for (source, entity), days in discover(landing_dir).partitions.items():
        for day in days:
            stats = []
            for p in partition_files(landing_dir, source, entity, day):
                st = p.stat()
                stats.append((p.name, st.st_size, st.st_mtime_ns))
            out[folder_key(source, entity, day)] = hashlib.sha1(repr(stats).encode()).hexdigest()
    return out


PENDING = "raw._landing_pending"


def record_pending(con, run_id: str, prints: dict[str, str]) -> None:
    """The folders a run's landing step loaded, with the fingerprints they had before it read them;
    they become built (`record`) only when the same run publishes (`promote_pending`). A Dagster run
    started by the schedule, the sensor or the UI records what it built the way `siyu run` does."""
    con.execute("create schema if not exists raw")
    con.execute(
        f"create table if not exists {PENDING} (run_id varchar, folder varchar, fingerprint varchar)"
    )
    con.execute(f"delete from {PENDING} where run_id = ?", [run_id])
    if prints:
        rows = [(run_id, k, v) for k, v in sorted(prints.items())]
        con.executemany(f"insert into {PENDING} values (?, ?, ?)", rows)


def promote_pending(con, run_id: str) -> int:
    """Record the run's pending fingerprints as built; earlier runs' leftovers (runs that stopped
    before publishing) are dropped: their folders were not built. Returns the folders recorded."""
    if not _has_table(con, PENDING):
        return 0
    query = f"select folder, fingerprint from {PENDING} where run_id = ?"
    prints = dict(con.execute(query, [run_id]).fetchall())
    record(con, prints)
    con.execute(f"delete from {PENDING}")
    return len(prints)


def recorded(con) -> dict[str, str]:
    """The fingerprints the last finished nights loaded (empty for a new warehouse)."""
    exists = con.execute(
        "select 1 from information_schema.tables where table_catalog = current_database() "
        "and table_schema = 'raw' and table_name = '_landing_fingerprints'"
    ).fetchone()
    if not exists:
        return {}
    rows = con.execute(f"select source, entity, business_date, fingerprint from {TABLE}").fetchall()
    return {folder_key(s, e, d): f for s, e, d, f in rows}


def record(con, prints: dict[str, str]) -> None:
    """Remember these folders' fingerprints as built (replacing what was kept for them)."""
    if not prints:
        return
    con.execute("create schema if not exists raw")
    con.execute(DDL)
    rows = [(*split_key(k), v) for k, v in sorted(prints.items())]
    con.execute("begin transaction")
    con.executemany(f"delete from {TABLE} where source = ? and entity = ? and business_date = ?",
                    [r[:3] for r in rows])
    con.executemany(f"insert into {TABLE} values (?, ?, ?, ?, now())", rows)
    con.execute("commit")


@dataclass
class Plan:
    """What a night loads: folders (with the fingerprints they had when planned), and what it leaves."""

    load: dict[str, str] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)  # before the retention boundary: never loaded
    reason: str = "changed"  # changed | full refresh | window

    def days(self, folders) -> list[date]:
        return sorted({split_key(k)[2] for k in folders})

    @property
    def loaded_days(self) -> list[date]:
        return self.days(self.load)

    @property
    def unchanged_days(self) -> list[date]:
        """Days none of whose folders is loaded tonight."""
        return sorted(set(self.days(self.unchanged)) - set(self.loaded_days))


def plan(current: dict[str, str], previous: dict[str, str], first: date | None = None,
         last: date | None = None, full_refresh: bool = False, retained: date | None = None) -> Plan:
    """Folders to load: new or changed ones; every one with `full_refresh`; with a window
    [first, last], every folder of the window (and none outside it); never one dated before the
    retention boundary `retained`."""
    window = first is not None or last is not None
    reason = "full refresh" if full_refresh else "window" if window else "changed"
    out = Plan(reason=reason)
    for key, digest in sorted(current.items()):
        day = split_key(key)[2]
        if retained is not None and day < retained:
            out.retired.append(key)
            continue
        inside = (first is None or day >= first) and (last is None or day <= last)
        if inside and (full_refresh or window or previous.get(key) != digest):
            out.load[key] = digest
        else:
            out.unchanged.append(key)
    return out
