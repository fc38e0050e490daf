"""Beijing wall-clock times (`YYYY-MM-DD HH:MM:SS`, sources.md) in the other forms exports and
collectors write them: each loads as the instant it names, worked out by hand (Beijing is UTC+8);
a form that could mean two instants, or none, stays unparseable."""

import json

from test_loader_support import POS_RECEIPT, csv_text, land, load

# (as written, the instant in UTC) — the receipt's 交易时间
FORMS = [
    ("2024.05.01 10:00:00", "2024-05-01 02:00:00"),  # dots, as some store systems write dates
    ("2024年05月01日 10时00分00秒", "2024-05-01 02:00:00"),  # Chinese hours, minutes and seconds
    ("2024年5月1日 10时30分", "2024-05-01 02:30:00"),
    ("20240501100000", "2024-05-01 02:00:00"),  # 14 digits
    ("2024-05-01T10:00:00+08:00", "2024-05-01 02:00:00"),  # a zone-aware serialiser's ISO 8601
    ("2024-05-01 10:00:00 +0800", "2024-05-01 02:00:00"),
    ("2024-05-01T01:00:00Z", "2024-05-01 01:00:00"),  # UTC, written as such: that instant
    ("2024-04-30T22:00:00-0500", "2024-05-01 03:00:00"),  # another zone's wall clock
    ("2024-05-01T10:00:00.250+08:00", "2024-05-01 02:00:00.25"),
]
UNPARSEABLE = [
    "20240231100000",  # no 31 February
    "2024-05-01 10:00:00+15:00",  # no such offset
    "2024-05-01 24:00:00",
    "5/1/2024 10:00",  # month or day first?
    "2024-05-01 10:00:00 CST",  # China, or US Central?
]


def receipts(times: list[str]) -> list[list[str]]:
    return [["S01", f"R{i}", t, "", "", "10.00", "0", "c1", "", "0"] for i, t in enumerate(times)]


def test_each_form_loads_as_the_instant_it_names(tmp_path, con):
    land(tmp_path, "pos", "receipt", "export.csv", csv_text(POS_RECEIPT, receipts([t for t, _ in FORMS])))
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_loaded, result.quarantined) == (len(FORMS), 0)
    got = con.execute(
        "select receipt_no, cast(timezone('UTC', traded_at) as varchar) from raw.pos__receipt"
    ).fetchall()
    assert sorted(got) == sorted((f"R{i}", utc) for i, (_, utc) in enumerate(FORMS))


def test_a_time_that_names_no_instant_or_two_stays_unparseable(tmp_path, con):
    land(tmp_path, "pos", "receipt", "export.csv", csv_text(POS_RECEIPT, receipts(UNPARSEABLE)))
    result = load(con, tmp_path, "pos", "receipt")
    assert (result.rows_loaded, result.reasons) == (0, {"unparseable_time": len(UNPARSEABLE)})


def test_a_youzan_order_written_with_its_offset(tmp_path, con):
    """The same order, its times written by a collector that serialises zone-aware datetimes."""
    order = {"full_order_info": {
        "order_info": {"tid": "E1", "status": "TRADE_SUCCESS", "created": "2024-05-01T09:59:00+08:00",
                       "update_time": "2024-05-01T10:05:00+08:00", "pay_time": "2024-05-01 10:00:00",
                       "refund_state": 0, "order_tags": {}, "order_extra": {}},
        "buyer_info": {"yz_open_id": "yz1"}, "pay_info": {"payment": "10.00", "post_fee": "0.00"},
        "orders": [{"oid": "1", "outer_sku_id": "SKU1", "title": "t", "num": 1, "payment": "10.00",
                    "is_present": False}]}}
    land(tmp_path, "youzan", "trade", "t.jsonl", json.dumps(order) + "\n")
    assert load(con, tmp_path, "youzan", "trade").rows_loaded == 1
    got = con.execute(
        "select cast(timezone('UTC', created) as varchar), cast(timezone('UTC', pay_time) as varchar) "
        "from raw.youzan__trade"
    ).fetchone()
    assert got == ("2024-05-01 01:59:00", "2024-05-01 02:00:00")
