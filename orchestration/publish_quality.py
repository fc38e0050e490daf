"""The data-quality summary the published copy carries: what the operators' dashboard shows of a night.

`siyu doctor` reads the writer's warehouse (quality.validation_results, raw._quarantine); BI tools and
the dashboard never open that file (DuckDB has one writer). So the publish step copies two small
tables of counts beside the marts, in schema `quality` of the published copy:

- `quality.quarantine_summary`: quarantined rows per source × entity × business date × reason, with
  the number of files they came from — never the records, their details or the file names (a
  quarantined record may hold an id, a detail quotes a value).
- `quality.check_summary`: each boundary check of the latest validated run per source × entity —
  passed, warned (a non-blocking rule failed) or failed (a blocking rule failed) — with how many rules
  failed and on which days; never the findings' details or observed samples.

Only counts, codes, check names and dates: nothing personal, nothing a customer could be found by.
The marts' tables are untouched (schema `marts` is copied as before, byte for byte).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

SCHEMA = "quality"
QUARANTINE_SUMMARY = """
select source, entity, business_date, reason,
       count(distinct file) as files, count(*) as quarantined_rows
from raw._quarantine
group by all
"""
# the latest run with results, as `siyu doctor` reads it (quality/doctor.py, diagnose)
CHECK_SUMMARY = """
with latest as (
    select run_id from quality.validation_results
    group by run_id order by max(validated_at) desc limit 1
)
select run_id, max(validated_at) as validated_at, source, entity, check_name,
       min(first_date) as first_date, max(last_date) as last_date,
       case when bool_or(blocking and not success) then 'failed'
            when bool_or(not success) then 'warned' else 'passed' end as status,
       count(*) as rules,
       count(*) filter (where not success) as failed_rules,
       count(*) filter (where blocking and not success) as blocking_failures,
       coalesce(list_sort(list_distinct(flatten(list(failed_days) filter (where not success)))),
                cast([] as date[])) as failed_days
from quality.validation_results
where run_id = (select run_id from latest)
group by run_id, source, entity, check_name
"""
EMPTY = {
    "quarantine_summary": "source varchar, entity varchar, business_date date, reason varchar, "
    "files bigint, quarantined_rows bigint",
    "check_summary": "run_id varchar, validated_at timestamptz, source varchar, entity varchar, "
    "check_name varchar, first_date date, last_date date, status varchar, rules bigint, "
    "failed_rules bigint, blocking_failures bigint, failed_days date[]",
}
SOURCES = {"quarantine_summary": ("raw", "_quarantine", QUARANTINE_SUMMARY),
           "check_summary": ("quality", "validation_results", CHECK_SUMMARY)}
COMMENTS = {
    "quarantine_summary": "Rows the loader quarantined, counted per source, entity, business date and "
    "reason (no record, detail or file name: siyu doctor and raw._quarantine in the warehouse have those).",
    "check_summary": "The boundary checks of the latest validated run per source and entity: passed, "
    "warned (a non-blocking rule failed) or failed (a blocking rule failed; the night did not publish).",
}


def copy_quality_summary(con, target: str) -> dict[str, int]:
    """Create `<target>.quality.*` from the warehouse `con` is connected to; an empty table when the
    warehouse has no such source yet (a copy published before anything was loaded)."""
    con.execute(f"create schema if not exists {target}.{SCHEMA}")
    rows = {}
    for table, (schema, source, sql) in SOURCES.items():
        exists = con.execute(
            "select 1 from information_schema.tables where table_catalog = current_database() "
            "and table_schema = ? and table_name = ?", [schema, source]).fetchone()
        name = f"{target}.{SCHEMA}.{table}"
        if exists:
            con.execute(f"create table {name} as select * from ({sql}) order by all")
        else:
            con.execute(f"create table {name} ({EMPTY[table]})")
        con.execute(f"comment on table {name} is '{COMMENTS[table].replace(chr(39), chr(39) * 2)}'")
        rows[table] = con.execute(f"select count(*) from {name}").fetchone()[0]
    return rows


def refresh_published_quality(warehouse: Path, published: Path) -> dict[str, int] | None:
    """After a night that stopped (a blocking check, a failed step): replace only the published copy's
    `quality` schema with the warehouse's latest results, so the dashboard shows what blocked while
    BI tools keep the previous marts (schema `marts` is not touched). The copy is changed in a file
    beside it and swapped in whole, as publish() does; None when nothing was published yet."""
    if not published.exists():
        return None
    tmp = published.with_name(published.name + ".tmp")
    tmp.unlink(missing_ok=True)
    shutil.copyfile(published, tmp)
    try:
        # the copy keeps the storage version it was written in: an existing file is not converted
        with duckdb.connect(str(tmp)) as con:
            con.execute(f"attach '{str(warehouse).replace(chr(39), chr(39) * 2)}' as siyu_night (read_only)")
            target = con.execute("select current_database()").fetchone()[0]
            con.execute(f"drop schema if exists {SCHEMA} cascade")
            con.execute("use siyu_night")
            rows = copy_quality_summary(con, target)
            con.execute(f"use {target}")
            con.execute("detach siyu_night")
        os.replace(tmp, published)
    finally:
        tmp.unlink(missing_ok=True)
    return rows
