"""Suites generated from contracts: clean raw rows pass; each breach of a rule the loader does not
enforce (tests/quality/test_rule_homes.py) fails the expectation that names it, on frames read from
DuckDB as the asset check reads them."""

from quality_support import DAY, pos_receipt, put, warehouse

from ingestion.contracts import CONTRACTS, get
from quality.raw_checks import read_partitions
from quality.suites import build_suite, rules
from quality.validate import validate_frame


def validate(source, entity, rows_by_day):
    con = warehouse()
    for day, rows in rows_by_day.items():
        put(con, source, entity, rows, day)
    days = sorted(rows_by_day)
    contract = get(source, entity)
    frame = read_partitions(con, contract, days[0], days[-1])
    return validate_frame(build_suite(contract), frame)


def failed(findings):
    return {(f.rule, f.column) for f in findings if not f.success}


def test_clean_rows_pass():
    rows = [pos_receipt(i) for i in range(5)]
    assert failed(validate("pos", "receipt", {DAY: rows})) == set()


def test_one_bad_row_fails_the_expectation_that_names_it_and_only_warns():
    rows = [pos_receipt(i) for i in range(199)] + [pos_receipt(199, discount=-1.0)]  # 1 of 200
    findings = validate("pos", "receipt", {DAY: rows})
    assert failed(findings) == {("expect_column_values_to_be_between", "discount")}
    bad = [f for f in findings if not f.success]
    assert [(f.observed, f.failed_days, f.blocking) for f in bad] == [(1, (DAY,), False)]


def test_a_repeated_key_is_not_a_contract_breach():
    # a repeat is a duplicate or a conflict (quality.repeats warns); the contract judges each row
    same_day = {DAY: [pos_receipt(1), pos_receipt(1, amount=120.0)]}
    assert failed(validate("pos", "receipt", same_day)) == set()


def receipt(no, amount, original=None):
    return {
        "store_code": "S001",
        "receipt_no": no,
        "traded_at": "2026-10-20 12:00:00+08",
        "phone_kind": "empty",
        "amount": amount,
        "discount": 0,
        "cashier_code": "C1",
        "original_receipt_no": original,
        "is_late_swipe": False,
    }


def test_pos_amounts_are_negative_only_on_returns():
    """A return names its original receipt. One negative receipt naming none (a cashier's return
    without the original) warns, and the models leave it unmatched; when over 1% of the receipts
    naming no original are negative (a till that never fills 原单流水号), the check blocks."""
    ok = [receipt("R1", 99.0), receipt("R2", -99.0, original="R1")]
    assert failed(validate("pos", "receipt", {DAY: ok})) == set()
    sales = [receipt(f"S{i}", 99.0) for i in range(199)]
    one = validate("pos", "receipt", {DAY: [*sales, receipt("R3", -99.0)]})  # 1 of 200: 0.5%
    assert {(f.column, f.blocking) for f in one if not f.success} == {("amount", False)}
    three = validate("pos", "receipt", {DAY: [*sales, *(receipt(f"R{i}", -9.0) for i in range(3))]})
    assert {(f.column, f.blocking) for f in three if not f.success} == {("amount", False), ("amount", True)}
    blocking = next(f for f in three if f.blocking and not f.success)
    assert blocking.observed == 3 and blocking.details["note"].endswith("over 1% of the receipts")


def test_every_contract_gets_valid_gx_expectations_and_no_key_rule():
    for contract in CONTRACTS.values():
        assert not [r for r in rules(contract) if r.expectation == "ExpectCompoundColumnsToBeUnique"]
        assert len(build_suite(contract).expectations) == len(rules(contract))
