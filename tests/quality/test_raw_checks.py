"""check_raw over a small warehouse: results land in quality.validation_results, Data Docs are
written, a contract breach is blocking, a volume drop only warns, and big ranges go in batches."""

from datetime import date, timedelta

import pytest
from quality_support import DAY, days_before, mp_event, pos_receipt, put, put_days, warehouse

import quality.raw_checks as raw_checks
from ingestion.contracts import get
from quality.raw_checks import check_raw, checks_for, day_batches, schema_finding
from quality.suites import rules


@pytest.fixture
def con():
    con = warehouse()
    put_days(con, "mp", "event", mp_event, {d: 60 for d in days_before(DAY, 7)})
    put_days(con, "pos", "receipt", pos_receipt, {d: 60 for d in days_before(DAY, 7)})
    yield con
    con.close()


def summaries_by_check(summaries):
    return {(s.source, s.entity, s.check): s for s in summaries}


def test_results_are_written_per_rule_and_docs_are_built(con, tmp_path):
    put(con, "pos", "receipt", [pos_receipt(i) for i in range(60)])
    summaries = check_raw(con, [get("pos", "receipt")], DAY, DAY, "run-a", tmp_path / "docs")
    assert {s.check: s.passed for s in summaries} == {
        "contract": True,
        "volume": True,
        "duplicate_file": True,
        "conflicts": True,
        "accounting": True,
        "quarantine_share": True,
        "freshness": True,
        "amounts": True,
        "unlinkable_phone_share": True,
    }
    rows = con.execute(
        "select check_name, count(*), bool_and(success), any_value(first_date), any_value(last_date) "
        "from quality.validation_results where run_id = 'run-a' group by 1 order by 1"
    ).fetchall()
    assert [r[0] for r in rows] == [
        "accounting",
        "amounts",
        "conflicts",
        "contract",
        "duplicate_file",
        "freshness",
        "quarantine_share",
        "unlinkable_phone_share",
        "volume",
    ]
    # the schema + every expectation: amount and discount, each warning on one row, blocking on many
    assert rows[3][1] == 1 + len(rules(get("pos", "receipt"))) == 5
    assert all(r[2] and r[3] == DAY and r[4] == DAY for r in rows)
    assert (tmp_path / "docs" / "index.html").exists()
    check_raw(con, [get("pos", "receipt")], DAY, DAY, "run-a")  # re-running a run id replaces its rows
    assert con.execute("select count(*) from quality.validation_results").fetchone()[0] == sum(
        r[1] for r in rows
    )


def test_a_contract_breach_blocks_and_a_volume_drop_only_warns(con):
    # 25 rows against a median of 60: under half (warns), above the floor of 60 - 5 * sqrt(60) = 21.3;
    # 1 negative sale of 25 is over the 1% of receipts that only warn
    put(con, "pos", "receipt", [pos_receipt(1, amount=-9.9), *[pos_receipt(i) for i in range(2, 26)]])
    found = summaries_by_check(check_raw(con, [get("pos", "receipt")], DAY, DAY, "run-b"))
    contract, vol = found[("pos", "receipt", "contract")], found[("pos", "receipt", "volume")]
    assert (contract.passed, contract.blocking_failed, vol.passed, vol.blocking_failed) == (
        False,
        True,
        False,
        False,
    )
    assert contract.metadata()["failed_days"] == [str(DAY)]
    assert any("amount: expect_column_values_to_be_between" in f for f in contract.metadata()["failures"])


def test_without_a_partition_range_each_table_checks_its_latest_day(con):
    summaries = check_raw(con, [get("mp", "event"), get("oa", "user")], None, None, "run-c")
    latest = {(s.entity, s.first, s.last) for s in summaries}
    assert latest == {("event", DAY - timedelta(1), DAY - timedelta(1)), ("user", None, None)}
    assert all(s.passed for s in summaries)


def test_a_raw_table_whose_types_drifted_from_the_contract_fails(con):
    con.execute("alter table raw.mp__event alter scene type bigint")
    finding = schema_finding(con, get("mp", "event"))
    assert not finding.success and finding.details["mismatches"] == {
        "scene": {"expected": "VARCHAR", "actual": "BIGINT"}
    }


def test_ranges_are_validated_in_batches_of_whole_days_with_merged_findings(con, monkeypatch):
    first = DAY - timedelta(7)
    bad = pos_receipt(1000, DAY - timedelta(6), amount=-9.9)
    put(con, "pos", "receipt", [bad], DAY - timedelta(6), file="late.csv")  # one bad row on one day
    rows = {first + timedelta(n): 10 for n in range(5)}
    assert day_batches(rows, first, first + timedelta(4), 25) == [
        (first, first + timedelta(1)),
        (first + timedelta(2), first + timedelta(3)),
        (first + timedelta(4),) * 2,
    ]
    assert day_batches({first: 100}, first, first, 25) == [(first, first)]  # a big day stays whole
    monkeypatch.setattr(raw_checks, "MAX_BATCH_ROWS", 100)
    found = summaries_by_check(check_raw(con, [get("pos", "receipt")], first, DAY - timedelta(1), "run-d"))
    bad = [f for f in found[("pos", "receipt", "contract")].findings if not f.success]
    assert [(f.rule, f.observed, f.failed_days, f.blocking) for f in bad] == [  # 1 of 21 receipts
        ("expect_column_values_to_be_between", 1.0, (DAY - timedelta(6),), False),
        ("expect_column_values_to_be_between", 1.0, (DAY - timedelta(6),), True),
    ]


def test_only_tables_that_store_phones_or_money_get_the_phone_or_amounts_check():
    assert "unlinkable_phone_share" in checks_for(get("youzan", "trade"))
    assert "unlinkable_phone_share" in checks_for(get("wecom", "external_contact"))  # a phone list
    assert checks_for(get("mp", "event")) == [
        "contract",
        "volume",
        "duplicate_file",
        "conflicts",
        "accounting",
        "quarantine_share",
        "freshness",
    ]
    assert "amounts" in checks_for(get("pos", "receipt")) and "amounts" in checks_for(get("ads", "spend"))


def test_unlinkable_phones_are_counted_from_the_kind_columns(con):
    for n, day in enumerate(days_before(DAY, 7) + [DAY]):
        masked = 60 if day == DAY else 5
        rows = [
            {
                "openid": f"o{n:02d}{i:025d}",
                "phone_number_kind": "masked" if i < masked else "valid",
                "created_at": f"{day} 08:00:00+08",
            }
            for i in range(100)
        ]
        put(con, "mp", "user", rows, day)
    found = summaries_by_check(check_raw(con, [get("mp", "user")], DAY, DAY, "run-e"))
    phones = found[("mp", "user", "unlinkable_phone_share")]
    assert not phones.passed and phones.findings[0].details["days"][str(DAY)] == {
        "phones": 100,
        "share": 0.6,
        "trailing_share": 0.05,
    }
    assert found[("mp", "user", "contract")].passed
    assert date.fromisoformat(phones.metadata()["failed_days"][0]) == DAY
