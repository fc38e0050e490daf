"""The bad-input catalogue, part 3: row-level rules from the contracts, each with its exact reason."""

import json

from test_loader_support import (
    T0,
    contact_event,
    csv_text,
    jsonl,
    land,
    load,
    quarantined,
    reasons,
)

DAY_END = 1714579200  # 2024-05-02 00:00 Beijing: the business day 2024-05-01 ends
GRACE_END = DAY_END + 86400  # FUTURE_GRACE_DAYS = 1


def test_future_and_pre_2010_times(tmp_path, con):
    land(
        tmp_path,
        "wecom",
        "contact_event",
        "a.jsonl",
        jsonl(
            [
                contact_event(1, CreateTime=GRACE_END),  # the last instant still allowed
                contact_event(2, CreateTime=GRACE_END + 1),
                contact_event(3, CreateTime=1262275199),  # 2009-12-31 23:59:59 Beijing
                contact_event(4, CreateTime=str(1262275200)),  # 2010-01-01 00:00:00 Beijing, as text
                contact_event(5, CreateTime=T0 * 1000),  # milliseconds where seconds belong
                contact_event(6, CreateTime="yesterday"),
            ]
        ),
    )
    r = load(con, tmp_path, "wecom", "contact_event")
    assert reasons(con, "wecom", "contact_event") == [
        (2, "time_in_future"),
        (3, "time_before_2010"),
        (5, "time_in_future"),
        (6, "unparseable_time"),
    ]
    assert r.rows_loaded == 2
    detail = quarantined(con, "wecom", "contact_event")[3]["detail"]
    assert detail == "CreateTime: unparseable_time 'yesterday'"


def test_local_times_and_the_future_bound(tmp_path, con):
    refund = {
        "refund_id": "r",
        "tid": "t",
        "status": "SUCCESS",
        "refund_fee": "1",
        "modified": "2024-05-01 10:00:00",
    }
    land(
        tmp_path,
        "youzan",
        "refund",
        "r.jsonl",
        jsonl(
            [
                {**refund, "refund_id": "r1", "created": "2024-05-02 23:59:59"},
                {**refund, "refund_id": "r2", "created": "2024-05-03 00:00:01"},
                {**refund, "refund_id": "r3", "created": "2024-02-30 10:00:00"},
                {**refund, "refund_id": "r4", "created": "2024/5/1 9:05"},
                {**refund, "refund_id": "r5", "created": "2024-05-01T10:00:00"},
                {**refund, "refund_id": "r6", "created": "2009-12-31 23:59:59"},
            ]
        ),
    )
    load(con, tmp_path, "youzan", "refund")
    assert reasons(con, "youzan", "refund") == [
        (2, "time_in_future"),
        (3, "unparseable_time"),
        (6, "time_before_2010"),
    ]
    got = con.execute(
        "select refund_id, epoch(created) from raw.youzan__refund order by refund_id"
    ).fetchall()
    assert got == [("r1", GRACE_END - 1), ("r4", T0 - 3300), ("r5", T0)]


def test_unknown_enum_missing_field_and_truncated_line(tmp_path, con):
    land(
        tmp_path,
        "wecom",
        "contact_event",
        "a.jsonl",
        jsonl(
            [
                contact_event(1),
                contact_event(2, ChangeType="add_friend"),
                contact_event(3, UserID=None),
                contact_event(4, UserID=""),
                json.dumps(contact_event(5))[:40],
                "[1, 2]",
                contact_event(6),
            ]
        ),
    )
    r = load(con, tmp_path, "wecom", "contact_event")
    assert reasons(con, "wecom", "contact_event") == [
        (2, "unknown_enum_value"),
        (3, "missing_required_field"),
        (4, "missing_required_field"),
        (5, "unparseable_record"),
        (6, "unparseable_record"),
    ]
    assert r.reasons == {"unknown_enum_value": 1, "missing_required_field": 2, "unparseable_record": 2}
    q = quarantined(con, "wecom", "contact_event")
    assert q[0]["detail"] == "ChangeType: unknown_enum_value 'add_friend'"
    assert json.loads(q[0]["record"])["change_type"] == "add_friend" and q[3]["record"] is None


def test_missing_required_columns_quarantine_the_whole_file(tmp_path, con):
    land(
        tmp_path,
        "ads",
        "spend",
        "s.csv",
        csv_text(
            ["date", "platform", "account_id", "campaign_name", "impressions", "clicks", "cost", "ctr"],
            [["2024-05-01", "baidu", "a1", "n", "10", "1", "1.00", "0.1"]] * 3,
        ),
    )
    r = load(con, tmp_path, "ads", "spend")
    assert (r.rows_offered, r.rows_loaded, r.reasons) == (3, 0, {"missing_required_columns": 3})
    assert r.extra_columns == ["ctr"]
    q = quarantined(con, "ads", "spend")
    assert [x["row_number"] for x in q] == [1, 2, 3]
    assert q[0]["detail"] == "the file lacks required columns: campaign_id"


def test_a_quarantined_record_cut_at_its_size_limit_is_still_json(tmp_path, con):
    """The record column is JSON: a record cut at its size limit is kept as a JSON string of its first
    characters, so the load goes on (a cut object would not be JSON and the insert would fail)."""
    from ingestion.normalise.quarantine import RECORD_CHARS

    land(
        tmp_path,
        "wecom",
        "contact_event",
        "a.jsonl",
        jsonl([contact_event(1, ChangeType="x" * 10_000), contact_event(2)]),
    )
    r = load(con, tmp_path, "wecom", "contact_event")
    assert r.reasons == {"unknown_enum_value": 1} and r.rows_loaded == 1
    (q,) = quarantined(con, "wecom", "contact_event")
    kept = json.loads(q["record"])
    assert isinstance(kept, str) and len(kept) == RECORD_CHARS
    assert kept.startswith('{"') and '"change_type":"xxx' in kept and kept.endswith("…")
