"""Check results as plain data, and their home in the warehouse: quality.validation_results.

A *finding* is one rule's verdict on one raw table over the run's days (a GX expectation or a
hand-written check). Findings roll up into the checks each landing asset carries in Dagster:

  contract                blocking  the contract's expectations (quality.suites) and the raw table's
                                    column types; a failure stops the models downstream
  volume                  both      rows of a day against the trailing seven days: blocking far under
                                    the median on a delivered day of a steady feed (quality.deliveries),
                                    else warns (quality.custom)
  amounts                 blocking  a unit slip: a day's median amount 20x off the last ~200 delivered,
                                    or order lines 10x over / 1/20 under list price (quality.amounts)
  duplicate_file          both      an event file repeating other days' rows blocks; a file copying
                                    another of its day folder only warns (quality.repeats)
  conflicts               warn      a key and version delivered twice with other values (quality.repeats)
  accounting              blocking  per file, offered = loaded + duplicates + quarantined, as stored
  quarantine_share        both      one reason quarantining half of a file or day blocks
                                    (quality.quarantined); a few bad rows only warn (quality.custom)
  unlinkable_phone_share  warn      share of phones that can never link a person (masked, encrypted…)
  freshness               warn      the source's newest day lags the run by more than its cadence

Blocking checks describe a day whose rows may each pass their contract but whose whole is wrong:
the marts built on it would be wrong (revenue halved or 100x, orders counted twice, guides'
friendships wiped), and a wrong number is worse than yesterday's. Their thresholds sit far beyond
ordinary variation (each module's comments say how far). The warnings describe data that is right
row by row: a campaign day, a holiday, a platform masking a field, a burst of bad lines upstream, an
export saved twice (its rows dropped as duplicates) or a conflicting repeat (the later file wins) are
things an operator must look at, not reasons to hold back every other source's marts (dbt runs as
one step, so a blocking failure stops all of them). An operator who confirms a blocked day is real
accepts it (quality.accepted): that failure then only warns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

SCHEMA = "quality"
TABLE = "validation_results"
BLOCKING = {
    "contract": True,
    "volume": True,
    "amounts": True,
    "duplicate_file": True,
    "conflicts": False,
    "accounting": True,
    "quarantine_share": True,
    "unlinkable_phone_share": False,
    "freshness": False,
}
DESCRIPTIONS = {
    "contract": "Raw rows of the run's days meet the contract rules the loader does not enforce (POS "
    "amounts negative only on returns: each breach warns, over 1% of the receipts block) and the raw "
    "table's column types (blocking). A blocking failure stops the models downstream.",
    "volume": "Rows per day against the median of the trailing seven days. Blocking when a delivered "
    "day of a steady feed (snapshots, shop and store orders) is more than 40% and five standard "
    "deviations under it (half the orders missing, a snapshot that lost most of its rows); outside "
    "0.5x–5x it only warns: campaigns, live streams and holidays move volume.",
    "amounts": "Unit slips (分 read as 元 is 100x). Blocking when a money column's median of a day's 20 "
    "or more amounts is 20x off the median of the last ~200 delivered, or when the day's order lines "
    "(Youzan, Douyin: 2 or more naming a catalogued SKU) pay over 10x or under 1/20 of list price × "
    "quantity at the median.",
    "duplicate_file": "Files delivered twice. Blocking when 90% of an event file's rows (10 or more) "
    "repeat other days (yesterday's export under today's date); a file all of whose rows repeat "
    "another file of its day folder (an export downloaded twice) only warns, naming the copy: "
    "its rows were dropped as duplicates.",
    "conflicts": "A key (and version) delivered twice on a day with other values: staging keeps the "
    "later file's row; warns naming both files and the key.",
    "accounting": "Every file balances: rows offered = loaded + exact duplicates + quarantined, and the "
    "raw table and raw._quarantine hold exactly those rows. Blocking.",
    "quarantine_share": "Quarantined rows. Blocking when one reason quarantines 50% or more (and 3 rows "
    "or more) of a file's or a day's offered rows: the delivery does not match its contract. Warns "
    "above 5% of a day (and 10 rows) or when a whole file was rejected: the rows that loaded are right.",
    "unlinkable_phone_share": "Share of present phones that cannot link a person (masked, encrypted, "
    "invalid, placeholder) against the trailing seven days. Warns only: the rows "
    "are right, identity matching gets weaker.",
    "freshness": "The source's newest delivered day is within its cadence (contract.cadence_days + 1 days: "
    "2 for daily event feeds, 8 for weekly snapshots) of the run's last day. Warns only: the "
    "marts stay right up to the last delivery, they are just not current.",
}
INSERT_ROWS = 1_000  # rows per insert statement
COLUMNS = (
    ("run_id", "VARCHAR"),
    ("validated_at", "TIMESTAMPTZ"),
    ("source", "VARCHAR"),
    ("entity", "VARCHAR"),
    ("first_date", "DATE"),
    ("last_date", "DATE"),
    ("check_name", "VARCHAR"),
    ("rule", "VARCHAR"),
    ("column_name", "VARCHAR"),
    ("severity", "VARCHAR"),
    ("blocking", "BOOLEAN"),
    ("success", "BOOLEAN"),
    ("observed", "DOUBLE"),
    ("failed_days", "DATE[]"),
    ("details", "JSON"),
)


@dataclass(frozen=True)
class Finding:
    """One rule's verdict. `observed`: unexpected rows for an expectation, a ratio or share for a
    hand-written check. `failed_days`: the business dates it failed on (GX reports a sample)."""

    check: str
    rule: str
    column: str | None
    success: bool
    observed: float | None = None
    failed_days: tuple[date, ...] = ()
    details: dict = field(default_factory=dict)
    blocking: bool = False  # a failure stops the models downstream

    @property
    def severity(self) -> str:
        return "error" if self.blocking else "warn"


@dataclass
class CheckSummary:
    """What one Dagster asset check reports: the findings of one check on one raw table."""

    source: str
    entity: str
    check: str
    first: date | None  # None: the table has never been loaded
    last: date | None
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the files a failure is about

    @property
    def passed(self) -> bool:
        return all(f.success for f in self.findings)

    @property
    def blocking_failed(self) -> bool:
        """Whether a blocking rule failed: the Dagster result is then of severity ERROR."""
        return any(f.blocking and not f.success for f in self.findings)

    def metadata(self) -> dict:
        failed = [f for f in self.findings if not f.success]
        return {
            "first_day": str(self.first or ""),
            "last_day": str(self.last or ""),
            "rules": len(self.findings),
            "failed_rules": len(failed),
            "blocking_failures": sum(f.blocking for f in failed),
            "failures": [describe(f) for f in failed][:20],
            "failed_days": sorted({str(d) for f in failed for d in f.failed_days})[:31],
            "files": self.files[:20],
        }


def named_files(details: dict) -> list[str]:
    """The files a finding's details name (duplicate files, broken accounting, shifted amounts, both
    files of a conflict)."""
    entries = [f for f in details.get("files", []) if isinstance(f, dict)]
    named = [f[k] for f in entries for k in ("file", "overrides") if k in f]
    named += [
        f["file"]
        for day in details.get("days", {}).values()
        if isinstance(day, dict)
        for f in day.get("files", [])
    ]
    return sorted(set(named))


def describe(f: Finding) -> str:
    where = f"{f.column}: " if f.column else ""
    seen = f" (observed {f.observed:g})" if f.observed is not None else ""
    note = f": {f.details['message']}" if f.details.get("message") else ""
    note += f" — {f.details['note']}" if f.details.get("note") else ""
    accepted = f.details.get("accepted") or {}
    if accepted:
        notes = "; ".join(f"{day}: {text}" for day, text in accepted.items())
        note += f" — accepted by the operator: {notes}"
    return f"{where}{f.rule}{seen}{note}"


def ensure_results_table(con) -> None:
    con.execute(f"create schema if not exists {SCHEMA}")
    body = ", ".join(f"{name} {sql_type}" for name, sql_type in COLUMNS)
    con.execute(f"create table if not exists {SCHEMA}.{TABLE} ({body})")


def write_results(con, run_id: str, summaries: list[CheckSummary]) -> int:
    """Append one row per finding; a re-run of the same run id replaces that run's rows for the
    tables it checked."""
    ensure_results_table(con)
    now = datetime.now(UTC)
    rows = [
        [
            run_id,
            now,
            s.source,
            s.entity,
            s.first,
            s.last,
            s.check,
            f.rule,
            f.column,
            f.severity,
            f.blocking,
            f.success,
            f.observed,
            list(f.failed_days),
            json.dumps(f.details, default=str, ensure_ascii=False),
        ]
        for s in summaries
        for f in s.findings
    ]
    for source, entity in {(s.source, s.entity) for s in summaries}:
        con.execute(
            f"delete from {SCHEMA}.{TABLE} where run_id = ? and source = ? and entity = ?",
            [run_id, source, entity],
        )
    # one statement of many rows: executemany binds and runs a statement per row (a demo night's
    # ~700 rows took ~0.4 s; measured 6x slower than this for 1,200 rows)
    marks = "(" + ", ".join("?" * len(COLUMNS)) + ")"
    for start in range(0, len(rows), INSERT_ROWS):
        chunk = rows[start : start + INSERT_ROWS]
        con.execute(
            f"insert into {SCHEMA}.{TABLE} values {', '.join([marks] * len(chunk))}",
            [value for row in chunk for value in row],
        )
    return len(rows)
