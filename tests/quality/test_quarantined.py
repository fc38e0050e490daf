"""A mostly-quarantined file or day blocks, naming the file, the reason and the field; a few bad rows
only warn. Hand-made counts, then a hand-built raw warehouse through check_raw."""

import pytest
from quality_support import DAY, hold, put, warehouse

from ingestion.contracts import get
from quality.quarantined import mostly_quarantined, sample_field
from quality.raw_checks import check_raw, failure_message

FILE = "wecom/external_contact/2026-10-20/batch_get_by_user.jsonl"
EMPTY = "follow_info.description: missing_required_field ''"


def held(n: int, reason: str = "missing_required_field", file: str = FILE, detail: str = EMPTY):
    return (DAY, file, reason, n, [detail])


@pytest.mark.parametrize(
    "offered, quarantined, blocks",
    [
        (10, [held(5)], True),  # exactly half, one reason
        (10, [held(4)], False),  # 40%: a bad batch, not a mismatch
        (10, [held(3), held(2, "unparseable_record")], False),  # half, but two reasons
        (3, [held(3)], True),  # a few orders a day, every one rejected
        (2, [held(2)], False),  # two rows are too few to tell a mismatch from two bad lines
        (1_000, [held(499)], False),
        (1_000, [held(500)], True),
    ],
)
def test_one_reason_rejecting_half_a_file_blocks(offered, quarantined, blocks):
    finding = mostly_quarantined({(DAY, FILE): offered}, quarantined)
    assert finding.success is not blocks and finding.blocking
    assert finding.failed_days == ((DAY,) if blocks else ())


def test_the_message_names_the_file_the_reason_and_the_field():
    finding = mostly_quarantined({(DAY, FILE): 12}, [held(12)])
    assert finding.details["message"] == (
        f"{FILE}: 12 of 12 rows (100%) quarantined as missing_required_field (field follow_info.description)"
    )
    assert finding.details["files"][0]["file"] == FILE and finding.observed == 1.0


def test_a_day_split_in_small_files_is_judged_whole():
    parts = {(DAY, f"part-{i}.jsonl"): 2 for i in range(5)}
    every = [held(2, file=f"part-{i}.jsonl") for i in range(5)]  # 10 of 10, 2 per file
    finding = mostly_quarantined(parts, every)
    assert not finding.success and [f["file"] for f in finding.details["files"]] == sorted(
        f for _, f in parts
    )
    assert mostly_quarantined(parts, every[:2]).success  # 4 of 10 rows of the day


def test_the_sample_field_is_read_from_the_quarantine_detail():
    assert sample_field("missing_required_field", EMPTY) == "follow_info.description"
    two = "created: time_before_2010 '2009-01-01 08:00:00'; status: unknown_enum_value 'NEW'"
    assert sample_field("unknown_enum_value", two) == "status"
    lacks = "the file lacks required columns: 订单编号, 订单状态"
    assert sample_field("missing_required_columns", lacks) == "订单编号"
    assert sample_field("unparseable_record", "invalid JSON (truncated or malformed)") is None
    finding = mostly_quarantined({(DAY, FILE): 4}, [held(4, "unparseable_record", detail="invalid JSON")])
    assert finding.details["message"].endswith("quarantined as unparseable_record (e.g. 'invalid JSON')")


def contact(i: int) -> dict:
    return {
        "external_userid": f"wm{i:030d}",
        "contact_type": 1,
        "userid": "guide01",
        "createtime": "2026-10-20 08:00:00+08",
        "add_way": 1,
        "remark_mobiles_hashes": [],
        "remark_mobiles_kinds": [],
    }


def run(loaded: int, bad: int):
    con = warehouse()
    path = put(
        con,
        "wecom",
        "external_contact",
        [contact(i) for i in range(loaded)],
        quarantined=bad,
        file="batch_get_by_user.jsonl",
    )
    hold(con, "wecom", "external_contact", path, [(n, "missing_required_field", EMPTY) for n in range(bad)])
    summaries = check_raw(con, [get("wecom", "external_contact")], DAY, DAY, "run-q")
    return {s.check: s for s in summaries}


def test_a_mostly_quarantined_snapshot_stops_the_night_and_says_why():
    found = run(loaded=2, bad=118)  # the guides wrote no description for 118 of 120 contacts
    share = found["quarantine_share"]
    assert share.blocking_failed and share.files == [FILE]
    line = failure_message(share)
    assert line.startswith("BLOCKING check wecom/external_contact 'quarantine_share' failed on 2026-10-20")
    assert (
        "118 of 120 rows (98%) quarantined as missing_required_field (field follow_info.description)" in line
    )
    assert [c for c, s in found.items() if s.blocking_failed] == ["quarantine_share"]


def test_a_few_bad_rows_only_warn():
    found = run(loaded=108, bad=12)  # 10%: over the 5% warning, far under half
    share = found["quarantine_share"]
    assert not share.passed and not share.blocking_failed
    assert [f.rule for f in share.findings if not f.success] == ["quarantined_share_of_offered_rows"]
