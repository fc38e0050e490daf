"""The publish step carries a counts-only quality summary into the published copy (schema `quality`),
for the dashboard's quality page: the counts `siyu doctor` reads in the warehouse, never a
quarantined record, its detail or a file name; and the marts it publishes are the marts as before."""

from __future__ import annotations

import importlib.util
from datetime import date, datetime
from pathlib import Path

import duckdb

from ingestion.write.rawdb import QUARANTINE, QUARANTINE_COLUMNS, SCHEMA, ensure_table, insert_quarantine
from orchestration.publish import publish
from quality.results import ensure_results_table

SALT = b"publish-quality-test-salt"
PLANT = "13912345678"  # a phone in a quarantined record and its detail
_spec = importlib.util.spec_from_file_location(
    "marts_digest", Path(__file__).resolve().parents[1] / "e2e" / "marts_digest.py")
marts_digest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(marts_digest)


def _result(run, at, source, entity, check, blocking, success, days=None):
    return [run, at, source, entity, date(2026, 10, 3), date(2026, 10, 4), check, "rule", "col",
            "error" if blocking else "warn", blocking, success, 0.5, days, '{"message": "' + PLANT + '"}']


def _warehouse(path: Path):
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.kpis as select * from (values (date '2026-10-04', 7, 12.50)) "
                "v(d, n, x)")
    con.execute(f"create schema {SCHEMA}")
    ensure_table(con, QUARANTINE, QUARANTINE_COLUMNS)
    record = '{"openid": "' + PLANT + '"}'
    insert_quarantine(con, "mp", "event", date(2026, 10, 3), "mp/event/2026-10-03/a.jsonl",
                      [(1, "unknown_enum_value", f"event={PLANT}", record),
                       (2, "unknown_enum_value", "", record)])
    insert_quarantine(con, "mp", "event", date(2026, 10, 3), "mp/event/2026-10-03/b.jsonl",
                      [(9, "unknown_enum_value", "", record), (10, "personal_data_in_id", "", record)])
    insert_quarantine(con, "youzan", "trade", date(2026, 10, 4), "youzan/trade/2026-10-04/t.jsonl",
                      [(None, "missing_required_field", "", None)])
    ensure_results_table(con)
    old, new = datetime(2026, 10, 4, 18), datetime(2026, 10, 5, 18)
    rows = [
        _result("r_old", old, "youzan", "trade", "contract", True, False),  # an earlier night's failure
        _result("r_new", new, "youzan", "trade", "contract", True, True),
        _result("r_new", new, "youzan", "trade", "contract", True, True),
        _result("r_new", new, "youzan", "trade", "volume", True, True),
        _result("r_new", new, "youzan", "trade", "volume", False, False, [date(2026, 10, 4)]),
        _result("r_new", new, "mp", "event", "quarantine_share", True, False, [date(2026, 10, 3)]),
        _result("r_new", new, "mp", "event", "quarantine_share", False, False, [date(2026, 10, 3)]),
    ]
    con.executemany("insert into quality.validation_results values (" + ", ".join(["?"] * 15) + ")", rows)
    return con


def test_the_copy_carries_the_quarantine_counts_and_the_latest_checks(tmp_path):
    con = _warehouse(tmp_path / "w.duckdb")
    counts = publish(con, tmp_path / "published.duckdb", secret=SALT)
    assert counts == {"marts.kpis": 1}  # what the publish step reports is the marts, as before
    with duckdb.connect(str(tmp_path / "published.duckdb"), read_only=True) as pub:
        quarantine = pub.execute("select * from quality.quarantine_summary order by all").fetchall()
        checks = pub.execute(
            "select run_id, source, entity, check_name, status, rules, failed_rules, blocking_failures, "
            "failed_days from quality.check_summary order by all").fetchall()
        text = "|".join(pub.execute(f"select string_agg(s::varchar, '|') from quality.{t} s").fetchone()[0]
                        for t in ("quarantine_summary", "check_summary"))
    # mp/event on 10-03: unknown_enum_value 3 rows from 2 files, personal_data_in_id 1 row from 1
    assert quarantine == [
        ("mp", "event", date(2026, 10, 3), "personal_data_in_id", 1, 1),
        ("mp", "event", date(2026, 10, 3), "unknown_enum_value", 2, 3),
        ("youzan", "trade", date(2026, 10, 4), "missing_required_field", 1, 1),
    ]
    # r_new only: contract passed (2 rules); volume's failed rule does not block (warned);
    # quarantine_share's blocking rule failed (failed)
    assert checks == [
        ("r_new", "mp", "event", "quarantine_share", "failed", 2, 2, 1, [date(2026, 10, 3)]),
        ("r_new", "youzan", "trade", "contract", "passed", 2, 0, 0, []),
        ("r_new", "youzan", "trade", "volume", "warned", 2, 1, 0, [date(2026, 10, 4)]),
    ]
    assert PLANT not in text and ".jsonl" not in text and "openid" not in text


def test_the_published_marts_are_the_marts_as_before(tmp_path):
    con = _warehouse(tmp_path / "w.duckdb")
    publish(con, tmp_path / "published.duckdb", secret=SALT)
    con.close()
    published = marts_digest.marts_digest(tmp_path / "published.duckdb")
    assert published == marts_digest.marts_digest(tmp_path / "w.duckdb") and set(published) == {"kpis"}


def test_a_warehouse_with_nothing_loaded_publishes_empty_summaries(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema marts")
    con.execute("create table marts.t as select 1 as n")
    publish(con, tmp_path / "published.duckdb", secret=SALT)
    with duckdb.connect(str(tmp_path / "published.duckdb"), read_only=True) as pub:
        assert pub.execute("select count(*) from quality.quarantine_summary").fetchone() == (0,)
        assert pub.execute("select count(*) from quality.check_summary").fetchone() == (0,)
