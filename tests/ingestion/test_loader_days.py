"""load_days / load_range: several days of an entity in one transaction give exactly what loading
them day by day gives, and a file that cannot be read fails its day without costing the others."""

from datetime import date, timedelta

import duckdb
import pytest
from test_loader_support import DAY, SALT, assert_accounted, contact_event, jsonl, land, rows

from ingestion.contracts import get
from ingestion.load import daily
from ingestion.load.daily import load_range
from ingestion.load.loader import LandingFileError, ensure_raw_schema, load_days, load_partition
from ingestion.write import rawwriter

DAYS = [DAY + timedelta(days=i) for i in range(4)]
EVENTS = "select * exclude (_loaded_at) from raw.wecom__contact_event order by _file, _row_number"
QUARANTINE = "select * exclude (quarantined_at) from raw._quarantine order by file, row_number"
LOG = "select * exclude (loaded_at) from raw._load_log order by file"


def _landing(root) -> None:
    """Four days: duplicates within a file, across files of a day and across days, bad rows,
    an empty file and a file in a format the entity does not take."""
    a, b = contact_event(1), contact_event(2)
    land(
        root, "wecom", "contact_event", "a.jsonl", jsonl([a, b, a, "{bad", contact_event(3, ChangeType="x")])
    )
    land(root, "wecom", "contact_event", "b.jsonl", jsonl([b, contact_event(4)]))
    land(root, "wecom", "contact_event", "a.jsonl", jsonl([a, contact_event(5)]), day=DAYS[1])
    land(root, "wecom", "contact_event", "empty.jsonl", "", day=DAYS[2])
    land(root, "wecom", "contact_event", "c.csv", "ChangeType\nx\n", day=DAYS[2])
    land(
        root, "wecom", "contact_event", "d.jsonl", jsonl([contact_event(i) for i in range(6, 9)]), day=DAYS[3]
    )


def _tables(con) -> tuple:
    return tuple(con.execute(sql).fetchall() for sql in (EVENTS, QUARANTINE, LOG))


def test_days_in_one_transaction_equal_days_one_by_one(tmp_path):
    _landing(tmp_path)
    by_day, together = duckdb.connect(), duckdb.connect()
    ensure_raw_schema(by_day)
    ensure_raw_schema(together)
    single = [load_partition(by_day, tmp_path, "wecom", "contact_event", d, SALT) for d in DAYS]
    batched = load_days(together, tmp_path, "wecom", "contact_event", DAYS, SALT)
    assert batched == single
    assert [(r.rows_offered, r.rows_loaded, r.duplicates, r.quarantined) for r in batched] == [
        (7, 3, 2, 2),
        (2, 2, 0, 0),
        (1, 0, 0, 1),
        (3, 3, 0, 0),
    ]
    for r in batched:
        assert_accounted(together, r)
    assert _tables(together) == _tables(by_day)
    # a day's duplicates are that day's only: day 2 repeats day 1's record `a` and keeps it
    assert batched[1].duplicates == 0


def test_an_unreadable_file_fails_its_day_and_keeps_the_days_before_it(tmp_path, con):
    def member(name: str, member_id: str, day: date):
        body = f"会员ID,买家会员名,手机号,绑定时间\n{member_id},nick,13812345678,2024-05-01 10:00:00\n"
        return land(tmp_path, "tmall", "member", name, body, day=day)

    for d in DAYS[:3]:
        member("m.csv", f"OLD-{d.day}", d)
    load_days(con, tmp_path, "tmall", "member", DAYS[:3], SALT)
    for d in DAYS[:3]:  # all three days re-delivered, corrected
        member("m.csv", f"NEW-{d.day}", d)
    land(tmp_path, "tmall", "member", "n.xlsx", b"this is not a zip archive", day=DAYS[1])
    with pytest.raises(LandingFileError, match=r"tmall/member/2024-05-02/n\.xlsx"):
        load_days(con, tmp_path, "tmall", "member", DAYS[:3], SALT)
    got = rows(con, "select _business_date as day, member_id from raw.tmall__member order by day")
    # the day before the bad file is loaded; its day and the day after keep the earlier load,
    # exactly as loading the days one by one in order would leave them
    assert [(g["day"], g["member_id"]) for g in got] == [
        (DAYS[0], "NEW-1"),
        (DAYS[1], "OLD-2"),
        (DAYS[2], "OLD-3"),
    ]
    log = rows(con, "select business_date, file, rows_loaded from raw._load_log order by business_date")
    assert [(g["business_date"], g["file"].rsplit("/", 1)[1]) for g in log] == [
        (DAYS[0], "m.csv"),
        (DAYS[1], "m.csv"),
        (DAYS[2], "m.csv"),
    ]
    con.execute("begin")  # no transaction left open
    con.execute("rollback")


def test_an_unreadable_first_day_leaves_every_day_as_it_was(tmp_path, con):
    land(tmp_path, "tmall", "member", "m.csv", "会员ID,买家会员名,手机号,绑定时间\nM1,nick,,\n", day=DAYS[1])
    load_days(con, tmp_path, "tmall", "member", DAYS[1:2], SALT)
    before = _tables(con), con.execute("select * exclude (_loaded_at) from raw.tmall__member").fetchall()
    land(tmp_path, "tmall", "member", "m.csv", "会员ID,买家会员名,手机号,绑定时间\nM2,nick,,\n", day=DAYS[1])
    land(tmp_path, "tmall", "member", "n.xlsx", b"PK not a workbook", day=DAYS[0])
    with pytest.raises(LandingFileError, match=r"tmall/member/2024-05-01/n\.xlsx"):
        load_days(con, tmp_path, "tmall", "member", DAYS[:2], SALT)
    assert (
        _tables(con),
        con.execute("select * exclude (_loaded_at) from raw.tmall__member").fetchall(),
    ) == before


def test_load_range_in_several_transactions_equals_one(tmp_path, monkeypatch):
    _landing(tmp_path)
    one, several = duckdb.connect(), duckdb.connect()
    contract = get("wecom", "contact_event")
    a = load_range(one, tmp_path, contract, DAYS[0], DAYS[-1], SALT)
    monkeypatch.setattr(daily, "TRANSACTION_BYTES", 1)  # one day per transaction
    seen: list[str] = []
    b = load_range(several, tmp_path, contract, DAYS[0], DAYS[-1], SALT, seen.append)
    assert a == b and len(seen) == len(DAYS)
    assert (a.days_loaded, a.files, a.rows_offered) == (DAYS, 6, 13)
    assert a.rows_offered == a.rows_loaded + a.duplicates + a.quarantined
    assert _tables(one) == _tables(several)


def test_duplicates_are_found_across_stages_of_one_transaction(tmp_path, monkeypatch):
    """Rows reach the raw table a stage at a time; a record repeated after its day's first rows
    were published is still a duplicate, counted against its file."""
    _landing(tmp_path)
    a = contact_event(1)
    land(tmp_path, "wecom", "contact_event", "c.jsonl", jsonl([contact_event(9), a, a]))  # day 1 again
    by_day, staged = duckdb.connect(), duckdb.connect()
    ensure_raw_schema(by_day)
    ensure_raw_schema(staged)
    single = [load_partition(by_day, tmp_path, "wecom", "contact_event", d, SALT) for d in DAYS]
    monkeypatch.setattr(rawwriter, "INSERT_ROWS", 1)  # every batch staged on its own
    monkeypatch.setattr(rawwriter, "STAGE_ROWS", 2)  # and published after two
    batched = load_days(staged, tmp_path, "wecom", "contact_event", DAYS, SALT, batch_rows=2)
    assert batched == single
    assert [(f.file.rsplit("/", 1)[1], f.duplicates) for f in batched[0].files] == [
        ("a.jsonl", 1),
        ("b.jsonl", 1),
        ("c.jsonl", 2),
    ]
    assert _tables(staged) == _tables(by_day)
