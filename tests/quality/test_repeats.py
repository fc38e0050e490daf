"""Rows delivered twice: an export saved twice in its day folder warns naming the copy, an event file
of other days' rows blocks naming that file, and a key repeated with other values warns naming both
files and the key — a conflict never blocks."""

from datetime import timedelta

import pytest
from quality_support import DAY, mp_event, put, warehouse

from ingestion.contracts import get
from quality.raw_checks import check_raw
from quality.repeats import (
    conflicting_keys,
    conflicts,
    copied_from,
    duplicate_files,
    name_the_copy,
    repeated_days,
    same_day_duplicates,
)

FOLDER = "wecom/external_contact/2026-10-20"
ORIGINAL, COPY = f"{FOLDER}/batch_get_by_user.jsonl", f"{FOLDER}/batch_get_by_user (1).jsonl"


@pytest.mark.parametrize(
    "name, is_copy",
    [
        ("batch_get_by_user (1).jsonl", True),
        ("batch_get_by_user(2).jsonl", True),
        ("batch_get_by_user copy.jsonl", True),
        ("batch_get_by_user - 副本.jsonl", True),
        ("batch_get_by_user-2.jsonl", True),
        ("batch_get_by_user (1).csv", False),  # another format is another export
        ("batch_get_by_user_part2.jsonl", False),
        ("other (1).jsonl", False),
    ],
)
def test_how_a_second_download_is_named(name, is_copy):
    assert copied_from(ORIGINAL, f"{FOLDER}/{name}") is is_copy


def test_the_copy_is_named_whichever_file_lost_its_rows():
    # the loader keeps the first file by name: "… (1).jsonl" sorts first, the original loses its rows
    assert name_the_copy(ORIGINAL, [COPY]) == (COPY, [ORIGINAL])
    assert name_the_copy(COPY, [ORIGINAL]) == (COPY, [ORIGINAL])
    parts = [f"{FOLDER}/part-1.jsonl", f"{FOLDER}/part-3.jsonl"]
    assert name_the_copy(f"{FOLDER}/part-2.jsonl", parts) == (f"{FOLDER}/part-2.jsonl", parts)
    # two parts of equal size each downloaded twice: the name tells which of them this one copies
    twice = [f"{FOLDER}/part-1 (1).jsonl", f"{FOLDER}/part-2 (1).jsonl"]
    assert name_the_copy(f"{FOLDER}/part-2.jsonl", twice) == (twice[1], [f"{FOLDER}/part-2.jsonl"])


def test_a_same_day_copy_warns_and_other_days_rows_block():
    copy, stale = duplicate_files([(DAY, ORIGINAL, 3, [COPY])], [])
    assert not copy.success and not copy.blocking and stale.success and stale.blocking
    assert copy.details["message"] == f"{COPY} copies {ORIGINAL}"  # any size: nothing is lost
    assert copy.details["files"] == [{"day": str(DAY), "file": COPY, "rows": 3, "copies": [ORIGINAL]}]
    events = [(DAY, "mp/event/2026-10-20/a.jsonl", 100, 90, ["mp/event/2026-10-19/a.jsonl"])]
    _, stale = duplicate_files([], events)
    assert not stale.success and stale.blocking and stale.failed_days == (DAY,)
    assert (
        stale.details["message"]
        == "mp/event/2026-10-20/a.jsonl: 90% of its rows repeat mp/event/2026-10-19/a.jsonl"
    )
    assert duplicate_files([], [(DAY, "a.jsonl", 100, 89, [])])[1].success  # retries repeat lines, not files
    assert duplicate_files([], [(DAY, "a.jsonl", 9, 9, [])])[1].success  # under 10 rows


def test_the_load_log_tells_which_file_was_dropped_and_what_it_repeats():
    con = warehouse()
    rows = [mp_event(i) for i in range(12)]
    put(con, "mp", "event", rows, file="events (1).jsonl")  # loaded first: it sorts first
    put(con, "mp", "event", [], file="events.jsonl", offered=12, duplicates=12)
    put(con, "mp", "event", [mp_event(i) for i in range(12, 20)], file="events-part2.jsonl")
    found = same_day_duplicates(con, "mp", "event", DAY, DAY)
    folder = "mp/event/2026-10-20"
    assert found == [(DAY, f"{folder}/events.jsonl", 12, [f"{folder}/events (1).jsonl"])]
    copy, _ = duplicate_files(found, [])
    assert copy.details["message"] == f"{folder}/events (1).jsonl copies {folder}/events.jsonl"


def test_yesterdays_events_under_todays_date_block_through_check_raw():
    con = warehouse()
    yesterday = DAY - timedelta(1)
    events = [mp_event(i, yesterday) for i in range(30)]
    put(con, "mp", "event", events, yesterday, file="events.jsonl")
    stale = put(con, "mp", "event", events, DAY, file="events.jsonl")  # yesterday's export again
    assert repeated_days(con, "mp__event", DAY, DAY) == [
        (DAY, stale, 30, 30, ["mp/event/2026-10-19/events.jsonl"])
    ]
    found = {s.check: s for s in check_raw(con, [get("mp", "event")], DAY, DAY, "run-r")}
    assert found["duplicate_file"].blocking_failed and found["duplicate_file"].files == [stale]
    assert [c for c, s in found.items() if s.blocking_failed] == ["duplicate_file"]


def trade(payment: float) -> dict:
    return {
        "tid": "E2026102000001",
        "status": "TRADE_PAID",
        "created": "2026-10-20 09:00:00+08",
        "update_time": "2026-10-20 09:00:00+08",
        "payment": payment,
        "post_fee": 0,
        "yz_open_id": "zqh0usb2MErloy7Vck7zdMbL",
        "buyer_phone_kind": "empty",
        "orders": "[]",
        "refund_state": 0,
        "is_offline_order": False,
    }


def test_a_conflicting_repeat_warns_naming_both_files_and_the_key():
    con = warehouse()
    first = put(con, "youzan", "trade", [trade(59.9)], file="pull-a.jsonl")
    later = put(con, "youzan", "trade", [trade(69.9)], file="pull-b.jsonl")  # same version, another amount
    found = {s.check: s for s in check_raw(con, [get("youzan", "trade")], DAY, DAY, "run-c")}
    clash = found["conflicts"]
    assert not clash.passed and not clash.blocking_failed and sorted(clash.files) == [first, later]
    message = clash.findings[0].details["message"]
    # the order id as its shape (an id may hold a mistyped phone), the version time as is
    assert message.startswith("tid E2999999999999, update_time 2026-10-20 01:00:00+00:00: ")
    assert message.endswith(f"{later} row 1 (kept) over {first} row 1")
    assert found["contract"].passed and not any(s.blocking_failed for s in found.values())


def test_repeats_with_equal_fields_or_a_new_version_are_no_conflict():
    con = warehouse()
    put(con, "youzan", "trade", [trade(59.9)], file="a.jsonl")
    put(con, "youzan", "trade", [trade(59.9)], file="b.jsonl")  # the same record, other bytes
    put(con, "youzan", "trade", [{**trade(69.9), "update_time": "2026-10-20 10:00:00+08"}], file="c.jsonl")
    assert conflicting_keys(con, get("youzan", "trade"), DAY, DAY) == ([], 0, ())


def test_a_snapshot_stating_a_key_twice_warns():
    user = {"openid": "o" + "1" * 27, "phone_number_kind": "empty", "created_at": "2026-10-20 08:00:00+08"}
    con = warehouse()
    put(con, "mp", "user", [user, {**user, "unionid": "oUnionid"}], file="users.jsonl")
    groups, count, days = conflicting_keys(con, get("mp", "user"), DAY, DAY)
    finding = conflicts(groups, count, days)
    assert (finding.success, finding.blocking, finding.observed, finding.failed_days) == (
        False,
        False,
        1.0,
        (DAY,),
    )
    assert finding.details["files"][0]["row"] == 2 and finding.details["files"][0]["overridden_row"] == 1
    # an openid names a person: results and run metadata locate the record by file and row instead
    assert finding.details["files"][0]["key"] == {"openid": "[identifier]"}
    assert user["openid"] not in str(finding.details)
