"""The boundary checks of one run: every selected raw table over the run's business dates.

`check_raw` is what the Dagster asset checks call: per contract it reads the run's partitions
(only the columns the suite needs), validates the contract suite with GX, compares the raw table's
column types with the contract's DDL, runs the hand-written checks, writes every finding to
quality.validation_results and builds the Data Docs. A contract whose every rule the loader
enforces has no suite (quality.suites): its table is not read for GX, and a run with no suite to
validate never imports GX (~10 s). No Dagster here.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from ingestion.contracts import Contract
from ingestion.contracts.ddl import raw_columns
from ingestion.write.rawdb import LOAD_LOG, ensure_raw_schema
from ingestion.write.rawdb import SCHEMA as RAW
from quality import accepted, amounts, custom, deliveries, repeats
from quality.amounts_sql import line_ratios, money_days
from quality.quarantined import mostly_quarantined, quarantine_by_file
from quality.results import BLOCKING, DESCRIPTIONS, CheckSummary, Finding, named_files, write_results
from quality.suites import build_suite, columns_needed, rules

# Days are validated in batches of whole days up to this many rows: a 500,000-row batch of mp/event
# peaks at ~175 MB above the process's baseline (bench/gx_memory.py; ~680 MB for 1M rows when the
# suites still re-checked the loader's rules), so a 60-day backfill of a big feed does not need 60
# times that. A single larger day is still validated whole.
MAX_BATCH_ROWS = 1_000_000
# information_schema spells some DDL types out in full
TYPE_ALIASES = {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE"}


def checks_for(contract: Contract) -> list[str]:
    """The Dagster checks a landing asset carries (the phone check only where phones are stored)."""
    has_phones = any(f.type in ("phone", "phone_list") for f in contract.fields)
    has_money = bool(amounts.money_columns(contract))
    return [
        c for c in BLOCKING if (c != "unlinkable_phone_share" or has_phones) and (c != "amounts" or has_money)
    ]


def asset_checks_for(contract: Contract) -> list[str]:
    """The checks of `checks_for` that Dagster shows as asset checks (those with a description): the
    raw-quality step's specs (orchestration/defs/checks.py), and the tables `siyu run` checks ahead
    (orchestration/pipeline.py), which must be the same for the step to take that work."""
    return [name for name in DESCRIPTIONS if name in checks_for(contract)]


def table_columns(con, table: str) -> dict[str, str]:
    """column → type of raw.<table>, as information_schema spells it."""
    sql = (
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ?"
    )
    return dict(con.execute(sql, [RAW, table]).fetchall())


def read_partitions(con, contract: Contract, first: date, last: date):
    """The suite's columns of raw.<table> for business dates first..last, as a pandas DataFrame."""
    present = table_columns(con, contract.table)
    cols = ", ".join(f'"{c}"' for c in columns_needed(contract) if c in present)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duckdb's pandas conversion uses APIs pandas 3 deprecates
        return con.execute(
            f'select {cols} from {RAW}."{contract.table}" where _business_date between ? and ?', [first, last]
        ).df()


def schema_finding(con, contract: Contract) -> Finding:
    """The raw table's columns and types equal the contract's DDL (a table created by an older
    contract keeps its old types: the loader only adds missing columns)."""
    actual = table_columns(con, contract.table)
    wrong = {
        name: {"expected": sql_type, "actual": actual.get(name)}
        for name, sql_type in raw_columns(contract)
        if actual.get(name) != TYPE_ALIASES.get(sql_type, sql_type)
    }
    return Finding(
        "contract",
        "raw_table_matches_contract_types",
        None,
        not wrong,
        float(len(wrong)),
        (),
        {"note": "column types as the contract's DDL", "mismatches": wrong},
        blocking=True,
    )


def day_batches(rows_per_day: dict[date, int], first: date, last: date, max_rows: int):
    """Consecutive runs of loaded days within first..last holding at most `max_rows` rows each."""
    batches: list[list[date]] = []
    size = 0
    for day in sorted(d for d, n in rows_per_day.items() if first <= d <= last and n):
        if not batches or size + rows_per_day[day] > max_rows:
            batches.append([])
            size = 0
        batches[-1].append(day)
        size += rows_per_day[day]
    return [(b[0], b[-1]) for b in batches]


def merge(batches: list[list[Finding]]) -> list[Finding]:
    """One finding per expectation from the same suite's findings on several batches of days."""
    merged = []
    for same in zip(*batches, strict=True):
        failed = [f for f in same if not f.success]
        observed = [f.observed for f in same if f.observed is not None]
        details = dict((failed or same)[0].details)
        if all("element_count" in f.details for f in same):
            details["element_count"] = sum(f.details["element_count"] for f in same)
        merged.append(
            replace(
                same[0],
                success=not failed,
                observed=sum(observed) if observed else None,
                failed_days=tuple(sorted({d for f in failed for d in f.failed_days})),
                details=details,
            )
        )
    return merged


def check_contract(
    con, session, contract: Contract, first: date, last: date, rows_per_day: dict
) -> list[Finding]:
    """The table's schema, then the suite on the rows of first..last, in batches of whole days
    (no suite: the schema only, and the table is not read)."""
    if not rules(contract):
        return [schema_finding(con, contract)]
    results, batches = [], day_batches(rows_per_day, first, last, MAX_BATCH_ROWS)
    for lo, hi in batches:
        frame = read_partitions(con, contract, lo, hi)
        name = contract.table if len(batches) == 1 else f"{contract.table}__{lo:%Y%m%d}_{hi:%Y%m%d}"
        results.append(session.validate(build_suite(contract, name), frame))
        del frame
    return [schema_finding(con, contract), *(merge(results) if results else [])]


def check_custom(
    con, contract: Contract, first: date, last: date, loaded: dict, offered: dict
) -> list[Finding]:
    """Volume, quarantine, files delivered twice, conflicting repeats, file accounting, freshness,
    and the scale of amounts and the unlinkable share of phones."""
    source, entity = contract.source, contract.entity
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    first_delivery = min(loaded, default=None)
    # a snapshot repeats yesterday's rows, and overlapping exports (versions ordered by the folder
    # date) repeat earlier days' orders by design
    cross_day = contract.kind == "events" and "_business_date" not in contract.version_by
    findings = [
        custom.volume(days, loaded, contract.kind, first_delivery),
        deliveries.volume_floor(days, loaded, contract.kind, first_delivery, contract.volume_is_steady),
        custom.quarantine_share(
            days, offered, custom.whole_file_rejections(con, source, entity, first, last)
        ),
        mostly_quarantined(*quarantine_by_file(con, source, entity, first, last)),
        *repeats.duplicate_files(
            repeats.same_day_duplicates(con, source, entity, first, last),
            repeats.repeated_days(con, contract.table, first, last) if cross_day else [],
        ),
        repeats.conflicts(*repeats.conflicting_keys(con, contract, first, last)),
        deliveries.accounting(deliveries.file_accounting(con, contract, first, last)),
        deliveries.freshness(last, max(loaded, default=None), contract.stale_after_days),
    ]
    for column in amounts.money_columns(contract):
        findings.append(amounts.amount_scale(days, column, *money_days(con, contract, column, first, last)))
    if (source, entity) in amounts.ORDER_LINES:
        column = amounts.ORDER_LINES[(source, entity)].column
        findings.append(amounts.list_prices(days, column, *line_ratios(con, contract, first, last)))
    for f in contract.fields:
        if f.type in ("phone", "phone_list") and f.stored:
            column = f"{f.name}_kind" if f.type == "phone" else f"{f.name}_kinds"
            phones = custom.phone_days(con, contract.table, column, f.type == "phone_list", first, last)
            findings.append(custom.unlinkable_share(days, column, phones))
    return findings


def failed_files(con, contract: Contract, summary: CheckSummary) -> list[str]:
    """The files a failed check is about: those its findings name, else every file of its failed days."""
    named = sorted({file for finding in summary.findings for file in named_files(finding.details)})
    days = sorted({d for f in summary.findings if not f.success for d in f.failed_days})
    return named or (custom.files_of_days(con, contract.source, contract.entity, days) if days else [])


def failure_message(summary: CheckSummary) -> str:
    """One line an operator can act on: which check, blocking or not, on which days and files."""
    meta = summary.metadata()
    kind = "BLOCKING check" if summary.blocking_failed else "warning"
    files = ", ".join(summary.files[:5]) + (
        f" and {len(summary.files) - 5} more" if len(summary.files) > 5 else ""
    )
    return (
        f"{kind} {summary.source}/{summary.entity} '{summary.check}' failed on "
        f"{', '.join(meta['failed_days']) or 'the run'}: {'; '.join(meta['failures'][:2])}"
        + (f" — files: {files}" if files else "")
    )


def latest_day(con, contract: Contract) -> date | None:
    row = con.execute(
        f"select max(business_date) from {RAW}.{LOAD_LOG} where source = ? and entity = ?",
        [contract.source, contract.entity],
    ).fetchone()
    return row[0] if row else None


def check_raw(
    con,
    contracts: list[Contract],
    first: date | None,
    last: date | None,
    run_id: str,
    docs: Path | None = None,
    log: Callable[[str], None] | None = None,
) -> list[CheckSummary]:
    """All checks of `contracts` over first..last (None: each table's latest loaded day)."""
    from quality.validate import GxSession

    ensure_raw_schema(con)  # checks run from the UI may come before any load
    session, summaries = GxSession(docs, run_id), []
    for contract in contracts:
        lo, hi = (first, last) if first and last else (latest_day(con, contract),) * 2
        findings = []
        if lo is not None:
            loaded, offered = custom.load_log_days(con, contract.source, contract.entity, hi)
            findings = check_contract(con, session, contract, lo, hi, loaded) + check_custom(
                con, contract, lo, hi, loaded, offered
            )
            findings = accepted.apply(findings, accepted.notes_for(con, contract.source, contract.entity))
        for name in checks_for(contract):
            summary = CheckSummary(
                contract.source, contract.entity, name, lo, hi, [f for f in findings if f.check == name]
            )
            summaries.append(summary)
            if not summary.passed:
                summary.files = failed_files(con, contract, summary)
                if log:
                    log(failure_message(summary))
    write_results(con, run_id, summaries)
    session.build_docs()
    return summaries
