"""Retention (PIPL art. 19: personal data kept no longer than its purpose needs): `siyu retain`.

Raw history: rows of every raw.<source>__<entity> table and of raw._quarantine whose business date is
before today − $SIYU_RETAIN_RAW_DAYS (Beijing dates; default 1095 days, three years: the marts'
longest look-back is a year-on-year comparison plus a year of CLV history) are deleted. A snapshot
holds until the next one, so the snapshot in force at the boundary (the latest day at or before it)
stays whatever its age: the state it describes must not vanish. raw._load_log keeps its per-file
counts (no row-level data): it is what landing retention checks files against.

Landing files are the brand's: none is deleted unless $SIYU_RETAIN_LANDING_DAYS is set. Then a day
folder <source>/<entity>/<YYYY-MM-DD>/ older than that is deleted only when each file in it was loaded
unchanged — named in raw._load_log and not modified since its load — and it holds no link and no
sub-folder; no link is followed. Anything else keeps the folder and the report says why.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ingestion.contracts import CONTRACTS
from ingestion.contracts.model import BUSINESS_TIMEZONE
from orchestration.retention_landing import day_folders, folder_verdict, loaded_files
from orchestration.settings import ConfigError

RAW_DAYS, LANDING_DAYS = "SIYU_RETAIN_RAW_DAYS", "SIYU_RETAIN_LANDING_DAYS"
DEFAULT_RAW_DAYS = 1095
BEIJING = ZoneInfo(BUSINESS_TIMEZONE)  # business dates are Beijing dates


@dataclass(frozen=True)
class Policy:
    raw_days: int
    landing_days: int | None  # None: landing files are never deleted

    @classmethod
    def from_env(cls, env=os.environ) -> Policy:
        return cls(_days(env, RAW_DAYS, DEFAULT_RAW_DAYS), _days(env, LANDING_DAYS, None))


def _days(env, name: str, default: int | None) -> int | None:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not re.fullmatch(r"\d+", value):
        raise ConfigError(f"{name}={value!r}: a whole number of days, 0 or more (e.g. {DEFAULT_RAW_DAYS})")
    return int(value)


@dataclass
class Report:
    today: date
    raw_boundary: date
    landing_boundary: date | None
    rows: dict[str, int] = field(default_factory=dict)  # table → rows before the boundary
    kept_snapshots: dict[str, date] = field(default_factory=dict)  # table → old day kept
    deleted: list[str] = field(default_factory=list)  # landing day folders
    kept: list[tuple[str, str]] = field(default_factory=list)  # (folder, why)
    reloaded: int = 0  # landing day folders before the raw boundary left in place
    applied: bool = False

    def lines(self) -> list[str]:
        verb = "deleted" if self.applied else "would delete"
        out = [
            f"raw history before {self.raw_boundary} "
            f"(today {self.today} − {(self.today - self.raw_boundary).days} days):"
        ]
        out += [f"  raw.{t}: {verb} {n} rows" for t, n in sorted(self.rows.items()) if n]
        out += [
            f"  raw.{t}: keeps its snapshot of {d}, in force at the boundary"
            for t, d in sorted(self.kept_snapshots.items())
        ]
        if not any(self.rows.values()):
            out.append("  nothing to delete")
        if self.landing_boundary is None:
            out.append(f"landing files: kept ({LANDING_DAYS} is not set: they are the brand's)")
        else:
            out.append(
                f"landing day folders before {self.landing_boundary}: "
                f"{verb} {len(self.deleted)}, kept {len(self.kept)}"
            )
            out += [f"  {verb}: {f}" for f in self.deleted] + [f"  kept: {f} — {why}" for f, why in self.kept]
        if self.reloaded:
            out.append(
                f"note: {self.reloaded} landing day folders before {self.raw_boundary} remain; "
                + ("`siyu run` never loads them again (the boundary is recorded)" if self.applied
                   else "`siyu retain --apply` records the boundary so `siyu run` never loads them again")
            )
        if self.applied and any(self.rows.values()):
            out.append(
                "the models and the published copy still hold what was built from these rows until the "
                "next `siyu run`, which rebuilds them from raw even if nothing new landed"
            )
        return out


def beijing_today() -> date:
    """The Beijing date the boundaries count back from (the business dates' calendar)."""
    return datetime.now(BEIJING).date()


def boundary(today: date, days: int) -> date:
    return today - timedelta(days=days)


def raw_tables(con) -> list[tuple[str, bool]]:
    """(table, is a snapshot) for every raw table with business dates; an unknown table is treated as
    a snapshot (its latest state kept), the side that deletes less."""
    names = con.execute(
        "select table_name from information_schema.columns where table_schema = 'raw' "
        "and column_name = '_business_date' and table_name not like '\\_%' escape '\\' order by 1"
    ).fetchall()
    out = []
    for (table,) in names:
        contract = CONTRACTS.get(tuple(table.split("__", 1)))
        out.append((table, contract is None or contract.kind == "snapshot"))
    return out


def _kept_day(con, table: str, is_snapshot: bool, cut: date) -> date | None:
    if not is_snapshot:
        return None
    return con.execute(
        f'select max(_business_date) from raw."{table}" where _business_date <= ?', [cut]
    ).fetchone()[0]


def raw_plan(con, cut: date, report: Report) -> list[tuple[str, str, list]]:
    """The deletes (table, where clause, parameters), with their row counts in `report`."""
    plan = []
    sql = "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = ?"
    quarantine = con.execute(sql, ["_quarantine"]).fetchone()[0]
    for table, is_snapshot in raw_tables(con):
        kept = _kept_day(con, table, is_snapshot, cut)
        if kept is not None and kept < cut:
            report.kept_snapshots[table] = kept
        where, params = "_business_date < ? and _business_date is distinct from ?", [cut, kept]
        report.rows[table] = con.execute(
            f'select count(*) from raw."{table}" where {where}', params
        ).fetchone()[0]
        plan.append((f'raw."{table}"', where, params))
        if quarantine:
            source, _, entity = table.partition("__")
            q_where = "source = ? and entity = ? and business_date < ? and business_date is distinct from ?"
            q_params = [source, entity, cut, kept]
            n = con.execute(f"select count(*) from raw._quarantine where {q_where}", q_params).fetchone()[0]
            report.rows["_quarantine"] = report.rows.get("_quarantine", 0) + n
            plan.append(("raw._quarantine", q_where, q_params))
    return plan


def apply_raw(con, plan) -> None:
    """All deletes in one transaction, then a checkpoint (DuckDB reclaims deleted rows' space there;
    bytes of free blocks may remain in the file until reused — a fresh copy removes them)."""
    con.execute("begin transaction")
    try:
        for target, where, params in plan:
            con.execute(f"delete from {target} where {where}", params)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("checkpoint")


def retain(con, landing: Path, policy: Policy, apply: bool, today: date | None = None) -> Report:
    """Apply (or with apply=False only report) the retention rule to the warehouse `con` (None: no
    warehouse yet) and the landing folder."""
    today = today or beijing_today()
    raw_cut = boundary(today, policy.raw_days)
    landing_cut = boundary(today, policy.landing_days) if policy.landing_days is not None else None
    report = Report(today, raw_cut, landing_cut, applied=apply)
    plan = raw_plan(con, raw_cut, report) if con is not None else []
    root = landing.resolve()
    if landing_cut is not None and root.is_dir():
        loaded = loaded_files(con, landing_cut) if con is not None else {}
        for rel, folder in day_folders(root, landing_cut):
            files, why = folder_verdict(rel, folder, loaded)
            if why == "empty":
                continue
            if why is None and apply:
                for f in files:
                    os.unlink(f)
                os.rmdir(folder)  # refuses a folder that gained a file meanwhile
            (report.kept.append((rel, why)) if why else report.deleted.append(rel))
    if apply and plan:
        apply_raw(con, plan)
    if apply and con is not None:
        from ingestion.landing.changes import record_retention, request_rebuild

        record_retention(con, raw_cut)  # older landing folders are never loaded again
        if any(report.rows.values()):
            request_rebuild(con, "retention")
    if root.is_dir():
        from ingestion.landing.layout import discover

        old = {
            f"{s}/{e}/{d}" for (s, e), days in discover(root).partitions.items() for d in days if d < raw_cut
        }
        report.reloaded = len(old - set(report.deleted))
    return report
