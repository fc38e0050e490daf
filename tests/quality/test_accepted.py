"""An operator's accepted anomaly turns exactly that blocking failure into a warning, nothing else."""

from datetime import date

import duckdb
import pytest

from orchestration.cli import main
from quality.accepted import accept, apply, notes_for
from quality.results import CheckSummary, Finding

D1, D2 = date(2026, 10, 30), date(2026, 10, 31)


def volume_drop(*days):
    return Finding("volume", "rows_above_floor", None, success=False, failed_days=days, blocking=True)


def test_an_accepted_day_only_warns_and_keeps_the_note():
    con = duckdb.connect()
    accept(con, "youzan", "trade", "volume", D2, "store S003 closed for renovation")
    notes = notes_for(con, "youzan", "trade")
    summary = CheckSummary("youzan", "trade", "volume", D2, D2, apply([volume_drop(D2)], notes))
    assert not summary.passed and not summary.blocking_failed  # still reported, no longer blocking
    assert summary.findings[0].details["accepted"] == {"2026-10-31": "store S003 closed for renovation"}
    failures = summary.metadata()["failures"]
    accepted_note = "accepted by the operator: 2026-10-31: store S003 closed for renovation"
    assert failures == [f"rows_above_floor — {accepted_note}"]


def test_acceptance_covers_only_its_table_check_and_days():
    con = duckdb.connect()
    accept(con, "youzan", "trade", "volume", D2, "closure")
    notes = notes_for(con, "youzan", "trade")
    still = [
        volume_drop(D1, D2),  # another failed day is not accepted
        Finding("amounts", "median_scale", "payment", success=False, failed_days=(D2,), blocking=True),
    ]
    assert all(f.blocking for f in apply(still, notes))
    assert notes_for(con, "pos", "receipt") == {}
    assert apply([volume_drop(D2)], notes_for(con, "pos", "receipt"))[0].blocking


def test_contract_and_accounting_failures_cannot_be_accepted_and_a_note_is_required():
    con = duckdb.connect()
    for check in ("contract", "accounting"):
        with pytest.raises(ValueError, match="cannot|only"):
            accept(con, "youzan", "trade", check, D2, "looks fine to me")
    with pytest.raises(ValueError, match="note"):
        accept(con, "youzan", "trade", "volume", D2, "  ")


def test_cli_records_an_acceptance_and_refuses_unknown_tables(tmp_path, monkeypatch, capsys):
    warehouse = tmp_path / "wh.duckdb"
    monkeypatch.setenv("SIYU_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("SIYU_LANDING_DIR", str(tmp_path))
    assert main(["accept", "youzan/trade", "volume", "2026-10-31", "--note", "closure"]) == 0
    assert main(["accept", "youzan/trades", "volume", "2026-10-31", "--note", "closure"]) == 2
    assert main(["accept", "youzan/trade", "volume", "31/10/2026", "--note", "closure"]) == 2
    assert "no source table" in capsys.readouterr().err
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert notes_for(con, "youzan", "trade") == {("volume", D2): "closure"}
