"""load_partition: raw schema from the contracts, idempotent day replacement, exact duplicates,
files that cannot be read, and the load log."""

from datetime import date

import pytest
from test_loader_support import DAY, SALT, contact_event, jsonl, land, load, quarantined, rows

from ingestion.load.loader import LandingFileError, load_partition


def test_duplicates_within_a_day_are_counted_across_days_both_load(tmp_path, con):
    a, b = contact_event(1), contact_event(2)
    land(tmp_path, "wecom", "contact_event", "a.jsonl", jsonl([a, b, a]))
    land(tmp_path, "wecom", "contact_event", "b.jsonl", jsonl([b]))  # same day, another file
    land(tmp_path, "wecom", "contact_event", "a.jsonl", jsonl([a]), day=date(2024, 5, 2))
    r1 = load(con, tmp_path, "wecom", "contact_event")
    r2 = load(con, tmp_path, "wecom", "contact_event", date(2024, 5, 2))
    assert (r1.rows_offered, r1.rows_loaded, r1.duplicates) == (4, 2, 2)
    assert [(f.file.rsplit("/", 1)[1], f.loaded, f.duplicates) for f in r1.files] == [
        ("a.jsonl", 2, 1),
        ("b.jsonl", 0, 1),
    ]
    assert (r2.rows_loaded, r2.duplicates) == (1, 0)
    kept = rows(
        con,
        "select _file, _row_number from raw.wecom__contact_event where _business_date = ? "
        "order by _row_number",
        [DAY],
    )
    assert [(k["_file"].rsplit("/", 1)[1], k["_row_number"]) for k in kept] == [
        ("a.jsonl", 1),
        ("a.jsonl", 2),
    ]


def test_reloading_a_day_gives_identical_tables(tmp_path, con):
    land(
        tmp_path, "wecom", "contact_event", "a.jsonl", jsonl([contact_event(i) for i in range(5)] + ["{bad"])
    )
    snapshot = "select * exclude (_loaded_at) from raw.wecom__contact_event order by _row_number"
    qsnap = "select * exclude (quarantined_at) from raw._quarantine order by row_number"
    load(con, tmp_path, "wecom", "contact_event")
    first, qfirst = con.execute(snapshot).fetchall(), con.execute(qsnap).fetchall()
    load(con, tmp_path, "wecom", "contact_event", batch_rows=2)
    assert con.execute(snapshot).fetchall() == first and con.execute(qsnap).fetchall() == qfirst
    assert con.execute("select count(*) from raw._load_log").fetchone()[0] == 1


def test_a_redelivered_corrected_day_replaces_the_old_one(tmp_path, con):
    path = land(
        tmp_path,
        "wecom",
        "contact_event",
        "a.jsonl",
        jsonl([contact_event(i) for i in range(3)] + [contact_event(9, ChangeType="oops")]),
    )
    old = land(tmp_path, "wecom", "contact_event", "old.jsonl", jsonl([contact_event(7)]))
    load(con, tmp_path, "wecom", "contact_event")
    path.write_text(jsonl([contact_event(0, UserID="guide02"), contact_event(9)]))
    old.unlink()
    r = load(con, tmp_path, "wecom", "contact_event")
    assert (r.rows_offered, r.rows_loaded, r.quarantined) == (2, 2, 0)
    got = rows(con, "select external_userid, userid from raw.wecom__contact_event order by external_userid")
    assert got == [
        {"external_userid": "wm000000", "userid": "guide02"},
        {"external_userid": "wm000009", "userid": "guide01"},
    ]
    assert quarantined(con, "wecom", "contact_event") == []
    assert [r["file"] for r in rows(con, "select file from raw._load_log")] == [
        "wecom/contact_event/2024-05-01/a.jsonl"
    ]


def test_an_unreadable_file_fails_the_day_and_leaves_the_earlier_load(tmp_path, con):
    land(
        tmp_path,
        "tmall",
        "member",
        "m.csv",
        "会员ID,买家会员名,手机号,绑定时间\nM1,nick,13812345678,2024-05-01 10:00:00\n",
    )
    load(con, tmp_path, "tmall", "member")
    land(tmp_path, "tmall", "member", "n.xlsx", b"this is not a zip archive")
    with pytest.raises(LandingFileError, match=r"tmall/member/2024-05-01/n\.xlsx"):
        load_partition(con, tmp_path, "tmall", "member", DAY, SALT)
    assert con.execute("select member_id from raw.tmall__member").fetchall() == [("M1",)]
    assert con.execute("select count(*) from raw._load_log").fetchone()[0] == 1
    con.execute("select 1")  # the connection is usable: no transaction left open
    con.execute("begin")
    con.execute("rollback")  # noqa: E702


def test_unsupported_format_is_quarantined_as_a_file(tmp_path, con):
    land(tmp_path, "tmall", "trade", "orders.xls", b"\xd0\xcf\x11\xe0 old excel")
    r = load(con, tmp_path, "tmall", "trade")
    assert (r.rows_offered, r.quarantined, r.reasons) == (1, 1, {"unsupported_format": 1})
    assert quarantined(con, "tmall", "trade")[0]["row_number"] is None


def test_load_log_records_each_file(tmp_path, con):
    land(tmp_path, "wecom", "contact_event", "a.jsonl", jsonl([contact_event(1, Extra=1)]))
    land(tmp_path, "wecom", "contact_event", "b.jsonl", "")
    load(con, tmp_path, "wecom", "contact_event")
    log = rows(
        con,
        "select file, encoding, rows_offered, rows_loaded, duplicates, quarantined, extra_columns "
        "from raw._load_log order by file",
    )
    assert log == [
        {
            "file": "wecom/contact_event/2024-05-01/a.jsonl",
            "encoding": "utf-8",
            "rows_offered": 1,
            "rows_loaded": 1,
            "duplicates": 0,
            "quarantined": 0,
            "extra_columns": ["Extra"],
        },
        {
            "file": "wecom/contact_event/2024-05-01/b.jsonl",
            "encoding": "utf-8",
            "rows_offered": 0,
            "rows_loaded": 0,
            "duplicates": 0,
            "quarantined": 0,
            "extra_columns": [],
        },
    ]
