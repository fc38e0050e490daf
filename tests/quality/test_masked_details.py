"""Findings quote no personal value: a quarantine detail's quoted values and a conflicting key's
identifiers reach quality.validation_results as shapes (quality.shapes), platform codes as they are."""

from quality_support import DAY, hold, put, warehouse

from ingestion.contracts import get
from quality.quarantined import masked, mostly_quarantined, quarantine_by_file
from quality.raw_checks import check_raw

PHONE = "13912345678"
STATUS = "full_order_info.order_info.status"  # a youzan code field's path


def test_quoted_values_are_shaped_but_codes():
    detail = (
        f"created: unparseable_time '{PHONE}'; tid: missing_required_field; "
        f"{STATUS}: unknown_enum_value 'TRADE_REFUNDED'; title: unparseable_value \"it's 张三\""
    )
    assert masked(detail, {STATUS}) == (
        "created: unparseable_time '13999999999'; tid: missing_required_field; "
        f"{STATUS}: unknown_enum_value 'TRADE_REFUNDED'; title: unparseable_value \"it*x **\""
    )
    assert (
        masked(None, set()) is None
        and masked("invalid JSON (truncated)", set()) == "invalid JSON (truncated)"
    )


def test_a_mostly_quarantined_finding_shows_the_shape_of_a_phone():
    con = warehouse()
    path = put(con, "youzan", "trade", [], offered=4, quarantined=4, file="t.jsonl")
    detail = f"full_order_info.order_info.created: unparseable_time '{PHONE}'"
    hold(con, "youzan", "trade", path, [(n, "unparseable_time", detail) for n in range(1, 5)])
    finding = mostly_quarantined(*quarantine_by_file(con, "youzan", "trade", DAY, DAY))
    assert not finding.success
    assert finding.details["files"][0]["sample"] == detail.replace(PHONE, "13999999999")
    check_raw(con, [get("youzan", "trade")], DAY, DAY, "run-q")
    stored = " ".join(map(str, con.execute("select * from quality.validation_results").fetchall()))
    assert "13999999999" in stored and PHONE not in stored
