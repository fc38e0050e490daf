"""A table whose every rule the loader enforces has no GX suite: check_raw neither reads it for GX nor
starts GX for it, and a run with nothing for GX to validate never imports GX (~10 s) and leaves the
last Data Docs in place; the other checks of those tables run as before."""

import subprocess
import sys
from pathlib import Path

import pytest
from quality_support import DAY, days_before, put, put_days, warehouse

import quality.raw_checks as raw_checks
from ingestion.contracts import get
from quality.raw_checks import check_raw
from quality.validate import GxSession

ROOT = Path(__file__).resolve().parents[2]


def receipt(i: int, day=DAY, amount: float = 99.0) -> dict:
    return {
        "store_code": "S1",
        "receipt_no": f"R{day}-{i}",
        "traded_at": f"{day} 12:00:00+08",
        "phone_kind": "empty",
        "amount": amount,
        "discount": 0,
        "cashier_code": "C1",
        "is_late_swipe": False,
    }


def refund(i: int, day=DAY) -> dict:
    return {
        "refund_id": f"F{day}-{i}",
        "tid": f"T{i}",
        "status": "SUCCESS",
        "refund_fee": 10.0,
        "created": f"{day} 10:00:00+08",
        "modified": f"{day} 10:00:00+08",
    }


def test_a_table_without_a_suite_is_not_read_for_gx(tmp_path, monkeypatch):
    con = warehouse()
    put_days(con, "youzan", "refund", refund, {d: 20 for d in [*days_before(DAY, 7), DAY]})

    def refuse(*args, **kwargs):
        raise AssertionError("GX was asked to look at a table without a suite")

    monkeypatch.setattr(raw_checks, "read_partitions", refuse)
    monkeypatch.setattr(GxSession, "start", refuse)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.html").write_text("the last validated run")
    summaries = check_raw(con, [get("youzan", "refund")], DAY, DAY, "run-s", docs)
    contract = next(s for s in summaries if s.check == "contract")
    assert [f.rule for f in contract.findings] == ["raw_table_matches_contract_types"]
    assert all(s.passed for s in summaries) and len(summaries) == len(
        raw_checks.checks_for(get("youzan", "refund"))
    )
    assert (docs / "index.html").read_text() == "the last validated run"
    assert [p.name for p in docs.iterdir()] == ["index.html"]


def test_the_other_checks_still_judge_a_table_without_a_suite():
    con = warehouse()
    put_days(con, "pos", "receipt", receipt, {d: 60 for d in days_before(DAY, 7)})
    put(con, "pos", "receipt", [receipt(i) for i in range(60)], offered=61)  # a row unaccounted for
    found = {
        s.check: s for s in check_raw(con, [get("youzan", "refund"), get("pos", "receipt")], DAY, DAY, "r")
    }
    assert found["accounting"].blocking_failed


@pytest.mark.parametrize("with_receipts", [False, True])
def test_gx_is_imported_only_when_a_suite_has_rows(tmp_path, with_receipts):
    path = tmp_path / "w.duckdb"
    con = warehouse(path)
    put(con, "youzan", "refund", [refund(i) for i in range(5)])
    put(con, "pos", "receipt", [receipt(i) for i in range(5)] if with_receipts else [])
    con.close()
    code = (
        "import sys, duckdb; from datetime import date; from pathlib import Path\n"
        "from ingestion.contracts import get; from quality.raw_checks import check_raw\n"
        f"con = duckdb.connect({str(path)!r})\n"
        f"day, docs = date.fromisoformat({str(DAY)!r}), Path({str(tmp_path / 'docs')!r})\n"
        "s = check_raw(con, [get('youzan', 'refund'), get('pos', 'receipt')], day, day, 'run', docs)\n"
        "print(all(x.passed for x in s), 'great_expectations' in sys.modules)\n"
    )
    env = {"PYTHONPATH": str(ROOT), "GX_ANALYTICS_ENABLED": "False", "PATH": "/usr/bin:/bin"}
    # A script, not `python -c`: with the spark extra installed, GX imports pyspark's connect module,
    # which exits silently when __main__ has no file (it takes that for a doctest run).
    script = tmp_path / "check.py"
    script.write_text(code)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert out.stdout.split() == ["True", str(with_receipts)], out.stderr[-2000:]
    assert (tmp_path / "docs" / "index.html").exists() == with_receipts
