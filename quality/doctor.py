"""`siyu doctor`: what the latest run's checks found, in one screen, and an exit code for cron.

Reads the warehouse read-only: quality.validation_results (the boundary checks of the latest run),
raw._quarantine (which files lost rows, and why), raw._load_log (how fresh each source is) and,
when the dbt build of that run left one, its run_results.json (dbt tests). The exit code is 1 when
something blocking failed (a contract check, a dbt test of severity error, a model error), else 0.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingestion.contracts import CONTRACTS
from quality.custom import files_of_days
from quality.results import SCHEMA, TABLE, named_files

SHOWN = 25  # lines per section before "… and N more"


@dataclass
class Report:
    run_id: str
    validated_at: object
    first: date | None
    last: date | None
    # (table, check, passed, a blocking rule failed, [(failure, blocking)])
    checks: list[tuple] = field(default_factory=list)
    quarantined: list[tuple] = field(default_factory=list)  # (file, reasons Counter, rows)
    freshness: list[tuple] = field(default_factory=list)  # (table, kind, last day, behind, loaded at, stale)
    dbt: Counter | None = None  # status → count (None: no dbt build)
    dbt_failures: list[tuple] = field(default_factory=list)  # (status, name, message)

    @property
    def blocking_failures(self) -> list[str]:
        gx = [f"{t} {c}" for t, c, passed, blocking, _ in self.checks if blocking and not passed]
        return gx + [name for status, name, _ in self.dbt_failures if status in ("fail", "error")]

    @property
    def exit_code(self) -> int:
        return 1 if self.blocking_failures else 0


def diagnose(con, dbt_results: Path | None = None) -> Report | None:
    """The report of the latest run with validation results; None when there is none yet."""
    if not con.execute(
        "select 1 from information_schema.tables where table_schema = ? and table_name = ?", [SCHEMA, TABLE]
    ).fetchone():
        return None
    latest = con.execute(
        f"select run_id, max(validated_at) v, min(first_date), max(last_date) "
        f"from {SCHEMA}.{TABLE} group by run_id order by v desc limit 1"
    ).fetchone()
    if latest is None:
        return None
    report = Report(*latest)
    rows = con.execute(
        f"select source || '/' || entity, check_name, blocking, success, column_name, rule, observed, "
        f"failed_days, details ->> 'message' from {SCHEMA}.{TABLE} where run_id = ? order by 1, 2",
        [report.run_id],
    ).fetchall()
    checks: dict[tuple, list] = {}
    for table, check, blocking, success, column, rule, observed, days, message in rows:
        failures = checks.setdefault((table, check), [])
        if not success:
            failures.append((_failure(column, rule, observed, days, message), blocking))
    report.checks = [(t, c, not fs, any(b for _, b in fs), fs) for (t, c), fs in checks.items()]
    if report.first and report.last:
        report.quarantined = _quarantined(con, report.first, report.last)
    report.freshness = _freshness(con)
    if dbt_results is not None:
        _dbt(report, dbt_results)
    return report


def blocking_lines(con) -> list[str]:
    """One line per blocking check that failed in the latest run: table, check, rule, days, files."""
    rows = con.execute(
        f"""
        with latest as (select run_id from {SCHEMA}.{TABLE} order by validated_at desc limit 1)
        select source || '/' || entity, check_name, column_name, rule, observed, failed_days, details
        from {SCHEMA}.{TABLE} where run_id = (select run_id from latest) and blocking and not success
        order by 1, 2
        """
    ).fetchall()
    lines = []
    for table, check, column, rule, observed, days, details in rows:
        details = json.loads(details) if details else {}
        files = named_files(details)
        if not files and days:  # a check about whole days: the files delivered on them
            files = files_of_days(con, *table.split("/"), days)
        lines.append(
            f"FAIL {table} '{check}': {_failure(column, rule, observed, days, details.get('message'))}"
            + (f" — files: {', '.join(files[:5])}" if files else "")
        )
    return lines


def _failure(column, rule, observed, days, message: str | None = None) -> str:
    """column: rule (observed) on days[: what the check found, naming files and fields]"""
    text = f"{column}: {rule}" if column else rule
    if observed is not None:
        text += f" (observed {int(observed) if observed == int(observed) else round(observed, 4)})"
    text += f" on {', '.join(str(d) for d in days)}" if days else ""
    return text + (f": {message}" if message else "")


def _quarantined(con, first: date, last: date) -> list[tuple]:
    rows = con.execute(
        "select file, reason, count(*) from raw._quarantine where business_date between ? and ? "
        "group by 1, 2 order by 1, 2",
        [first, last],
    ).fetchall()
    files: dict[str, Counter] = {}
    for file, reason, n in rows:
        files.setdefault(file, Counter())[reason] += n
    return sorted(((f, c, sum(c.values())) for f, c in files.items()), key=lambda x: (-x[2], x[0]))


def _freshness(con) -> list[tuple]:
    loaded = {
        (s, e): (d, t)
        for s, e, d, t in con.execute(
            "select source, entity, max(business_date), max(loaded_at) from raw._load_log group by 1, 2"
        ).fetchall()
    }
    newest = max((d for d, _ in loaded.values()), default=None)
    out = []
    for (source, entity), c in sorted(CONTRACTS.items()):
        day, at = loaded.get((source, entity), (None, None))
        behind = (newest - day).days if day and newest else None
        # the contract's cadence, as in the dbt sources' freshness
        stale = behind is None or behind > c.stale_after_days
        out.append((f"{source}/{entity}", c.kind, day, behind, at, stale))
    return out


def _dbt(report: Report, results: Path) -> None:
    """Every dbt step of the run keeps its results as <warehouse folder>/logs/dbt/<run id>-<n>.json
    (orchestration/defs/dbt.py); a run builds dbt in several steps (before and after identity, CLV)."""
    found = sorted(results.glob(f"{report.run_id}-*.json"))
    if not found:
        return
    report.dbt = Counter()
    for path in found:
        for r in json.loads(path.read_text())["results"]:
            kind, status = r["unique_id"].split(".")[0], r["status"]
            if kind == "test":
                report.dbt[status] += 1
            if (kind == "test" and status in ("fail", "error", "warn")) or status == "error":
                name = r["unique_id"].split(".")[-2 if kind == "test" else -1]
                report.dbt_failures.append((status, name, (r.get("message") or "")[:160]))


def render(report: Report | None) -> str:
    if report is None:
        return "No validation results yet: run `siyu run` (or `siyu demo`) first."
    span = f"{report.first} … {report.last}" if report.first else "latest loaded days"
    lines = [f"Run {report.run_id} ({span}), checked at {report.validated_at:%Y-%m-%d %H:%M} UTC", ""]
    failed = [c for c in report.checks if not c[2]]
    lines.append(
        f"Boundary checks: {len(report.checks) - len(failed)} passed, {len(failed)} failed "
        f"({sum(1 for c in failed if c[3])} blocking)"
    )
    for table, check, _, _, failures in failed:
        lines += [f"  {'FAIL' if b else 'WARN'}  {table} {check}: {f}" for f, b in failures[:3]]
    if report.dbt is not None:
        d = report.dbt
        lines.append(
            f"dbt tests: {d['pass']} passed, {d['warn']} warned, {d['fail'] + d['error']} failed, "
            f"{d['skipped']} skipped"
        )
        lines += [f"  {s.upper():5} {name}: {msg}" for s, name, msg in report.dbt_failures[:SHOWN]]
        _more(lines, report.dbt_failures)
    else:
        lines.append("dbt tests: no dbt build in this run")
    if any(c[3] and not c[2] for c in report.checks):
        lines.append("  models downstream of a failing blocking check did not run in this run")
    lines.append("")
    rows = sum(n for _, _, n in report.quarantined)
    lines.append(f"Quarantined: {rows} rows in {len(report.quarantined)} files (details in raw._quarantine)")
    for file, reasons, _ in report.quarantined[:SHOWN]:
        lines.append(f"  {file}: " + ", ".join(f"{r} ×{n}" for r, n in reasons.most_common()))
    _more(lines, report.quarantined)
    lines += ["", "Freshness: last business date loaded, days behind the newest one, when loaded (UTC)"]
    for table, kind, day, behind, at, stale in report.freshness:
        status = "never loaded" if day is None else f"{day}  {behind:>3} d  {at:%Y-%m-%d %H:%M}"
        lines.append(f"  {table:<26} {kind:<9} {status}{'  STALE' if stale else ''}")
    blocking = report.blocking_failures
    lines += ["", f"BLOCKING FAILURES: {', '.join(blocking)}" if blocking else "No blocking failures."]
    return "\n".join(lines)


def _more(lines: list[str], items: list) -> None:
    if len(items) > SHOWN:
        lines.append(f"  … and {len(items) - SHOWN} more")


def run(warehouse: Path, dbt_results: Path | None = None, out=print) -> int:
    """Print the report of `warehouse`; the exit code `siyu doctor` returns (2: could not read it)."""
    import duckdb

    if not Path(warehouse).exists():
        out(f"No warehouse at {warehouse} (SIYU_WAREHOUSE): nothing has run yet.")
        return 0
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.IOException as exc:  # DuckDB has one writer: a running pipeline holds the file
        out(f"Cannot read {warehouse} while a pipeline writes it; try again when the run ends ({exc}).")
        return 2
    try:
        con.execute("set TimeZone = 'UTC'")
        report = diagnose(con, dbt_results)
    finally:
        con.close()
    out(render(report))
    return report.exit_code if report else 0
