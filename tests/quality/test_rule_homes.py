"""One home per rule (STYLE.md): what the loader quarantines, GX does not re-check.

Each loader-owned rule is shown here on the loader itself (the row is quarantined with its reason and
the loaded table satisfies the rule), and in tests/ingestion:
  required                 test_bad_inputs_rows.py::test_unknown_enum_missing_field_and_truncated_line
  required_when, require_any  test_bad_inputs_rules.py::test_required_when_non_followers_and_require_any
  enum                     test_bad_inputs_rows.py::test_unknown_enum_missing_field_and_truncated_line
  time bounds              test_bad_inputs_rows.py::test_future_and_pre_2010_times, ::test_local_times_…
  money >= 0               test_bad_inputs_rules.py::test_amounts_values_negative_money_and_zero_is_null
  phone kinds and hashes   test_phones.py::test_vectorised_classification_agrees_with_normalise_phone
  phone_when               test_bad_inputs_pii.py::test_no_raw_phone_digits_anywhere
  personal data in an id   test_personal_data.py::test_a_phone_where_an_openid_belongs_is_quarantined…
  id formats               here: test_what_the_loader_quarantines_never_reaches_the_table
  id formats by type       test_bad_inputs_rules.py::test_an_id_of_another_format_than_its_type_names_…
What the loader lets through (a negative POS amount naming no original receipt) is what the suite
keeps: a few warn, and a night where over 1% of the receipts carry it is blocked. An id format a
whole feed breaks blocks the night through the quarantine share instead.
"""

import json
import re
from datetime import date

import pytest
from quality_support import warehouse

from ingestion.contracts import CONTRACTS, PHONE_KINDS, TIME_TYPES, get
from ingestion.load.loader import load_partition
from quality.raw_checks import check_raw
from quality.suites import rules

SALT = b"test-salt"
DAY = date(2024, 5, 1)
T0_MS = 1714528800_000  # 2024-05-01 10:00:00 Beijing
OPENID = "oU-ZOFJmH7OpplToG45T2cMF-HLf"
HEX64 = re.compile(r"^[0-9a-f]{64}$")
# The tables GX still validates, counted by hand from the contracts: POS amounts negative only on
# returns.
GX_TABLES = {"pos__receipt"}


def _gx_family(c, r) -> str | None:
    """The GX-owned family a rule belongs to, judged from the contract alone (None: none)."""
    money = {f.name for f in c.fields if f.type in ("yuan", "fen") and f.allow_negative}
    returns = (("original_receipt_no",), "all_null", None)
    if r.expectation == "ExpectColumnValuesToBeBetween" and r.column in money and r.when == returns:
        return "negative only on returns"
    return None


@pytest.mark.parametrize("key", sorted(CONTRACTS), ids=lambda k: "__".join(k))
def test_no_suite_repeats_a_rule_the_loader_enforces(key):
    c = CONTRACTS[key]
    loader_columns = {f.name for f in c.fields if f.type in TIME_TYPES or f.phone_when or f.format_when}
    loader_columns |= {f.name for f in c.fields if f.type in ("yuan", "fen") and not f.allow_negative}
    phones = [f.name + "_" for f in c.fields if f.type in ("phone", "phone_list")]
    loader_columns |= {col for col in c.column_names() if col.startswith(tuple(phones))} if phones else set()
    for r in rules(c):
        assert r.expectation not in ("ExpectColumnValuesToNotBeNull", "ExpectColumnValuesToBeInSet"), r
        assert _gx_family(c, r) is not None, (c.table, r)
        assert r.column not in loader_columns, (c.table, r)
    assert bool(rules(c)) == (c.table in GX_TABLES)


def _land(root, source, entity, name, text):
    path = root / source / entity / DAY.isoformat() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _load(con, root, source, entity):
    load_partition(con, root, source, entity, DAY, SALT)
    reasons = con.execute(
        "select row_number, reason from raw._quarantine where source = ? and entity = ? order by 1",
        [source, entity],
    ).fetchall()
    return reasons


def _event(i, **changes):
    row = {"event_id": f"e{i}", "openid": OPENID, "event": "page_view", "page_path": "/p", "scene": "1001"}
    return json.dumps({**row, "ts": T0_MS, **changes})


def test_what_the_loader_quarantines_never_reaches_the_table(tmp_path):
    con = warehouse()
    rows = [
        _event(1),
        _event(2, event="purchase"),  # enum
        _event(3, scene=""),  # required
        _event(4, ts=T0_MS + 3 * 86_400_000),  # after the day's end + 1 day of grace
        _event(5, ts=1262275199_000),  # 2009-12-31 23:59:59 Beijing
        _event(6, openid="o1"),  # an openid of another format
        _event(7, share_from_openid=OPENID[:-1] + " "),  # one garbled in an export
        _event(8, share_from_openid=OPENID),
    ]
    _land(tmp_path, "mp", "event", "e.jsonl", "\n".join(rows) + "\n")
    assert _load(con, tmp_path, "mp", "event") == [
        (2, "unknown_enum_value"),
        (3, "missing_required_field"),
        (4, "time_in_future"),
        (5, "time_before_2010"),
        (6, "malformed_id"),
        (7, "malformed_id"),
    ]
    loaded = con.execute(
        "select event_id, event, scene, epoch_ms(ts) from raw.mp__event order by 1"
    ).fetchall()
    assert loaded == [("e1", "page_view", "1001", T0_MS), ("e8", "page_view", "1001", T0_MS)]
    header = "门店编码,小票号,交易时间,会员卡号,手机号,金额,折扣,收款员代码,原单流水号,补刷卡标记"
    receipts = ["S1,R1,2024-05-01 10:00:00,,,-9.9,0,C1,,0", "S1,R2,2024-05-01 10:00:00,,,-9.9,0,C1,R0,0"]
    _land(tmp_path, "pos", "receipt", "r.csv", "\n".join([header, *receipts]) + "\n")
    assert _load(con, tmp_path, "pos", "receipt") == []  # a negative amount naming no receipt: GX's
    t0 = T0_MS // 1000
    line = {"order_id": "s1", "product_name": "p", "item_num": 1, "pay_amount": 990}
    order = {"order_status": 105, "create_time": t0, "update_time": t0, "doudian_open_id": "d1"}
    order["sku_order_list"] = [line]
    lines = [json.dumps({**order, "order_id": f"o{i}", "pay_amount": a}) for i, a in enumerate((990, -5))]
    _land(tmp_path, "douyin", "order", "o.jsonl", "\n".join(lines) + "\n")
    assert _load(con, tmp_path, "douyin", "order") == [(2, "negative_amount")]


def test_phone_columns_hold_only_the_normalisers_kinds_and_keyed_hashes(tmp_path):
    con = warehouse()
    header = "会员卡号,手机号,姓名,生日,注册门店,注册时间,专属导购"
    phones = [
        "13812345678",
        "138****5678",
        "13800138000",
        "12345",
        "$AbCdEfGhIjKlMnOpQr$",
        "",
        "+86 139 1234 5678",
    ]
    members = [f"V{i},{p},王,,S1,2024-05-01 10:00:00," for i, p in enumerate(phones)]
    _land(tmp_path, "pos", "member", "m.csv", "\n".join([header, *members]) + "\n")
    assert _load(con, tmp_path, "pos", "member") == [(6, "missing_required_field")]  # a required phone
    got = con.execute("select phone_kind, phone_hash from raw.pos__member order by card_no").fetchall()
    assert [k for k, _ in got] == ["valid", "masked", "placeholder", "invalid", "encrypted", "valid"]
    assert {k for k, _ in got} <= set(PHONE_KINDS) - {"empty"}
    assert all((h is None) == (k not in ("valid", "placeholder")) for k, h in got)
    assert all(HEX64.match(h) for _, h in got if h)
    header = "id_type,id_value,note"
    listed = ["phone,13700001111,", "mobile,137****1111,", f"openid,{OPENID},"]
    _land(tmp_path, "org", "test_account", "t.csv", "\n".join([header, *listed]) + "\n")
    assert _load(con, tmp_path, "org", "test_account") == [(2, "unparseable_value")]  # no key to store
    got = dict(con.execute("select id_type, id_value from raw.org__test_account").fetchall())
    assert HEX64.match(got["phone"]) and got["openid"] == OPENID


def test_a_few_malformed_ids_warn_and_a_feed_whose_ids_changed_format_blocks(tmp_path):
    """One bad id is caught where it is read and stops nothing: its row is quarantined, the contract
    check passes and the quarantine share only warns. A day whose ids are all of another format (a
    platform that changed it) is mostly quarantined for that reason: the night stops, naming it."""
    con = warehouse()
    good = [_event(i) for i in range(1, 10)]
    _land(tmp_path, "mp", "event", "e.jsonl", "\n".join([*good, _event(10, share_from_openid="o2")]) + "\n")
    assert _load(con, tmp_path, "mp", "event") == [(10, "malformed_id")]
    checks = {s.check: s for s in check_raw(con, [get("mp", "event")], DAY, DAY, "run-f")}
    assert not checks["contract"].blocking_failed  # the table's schema only: no GX suite on mp/event
    assert not checks["quarantine_share"].blocking_failed
    changed = [_event(i, openid=f"oo{i:06d}") for i in range(1, 10)]  # 8 characters, every row
    _land(tmp_path, "mp", "event", "e.jsonl", "\n".join(changed) + "\n")
    assert [r for _, r in _load(con, tmp_path, "mp", "event")] == ["malformed_id"] * 9
    checks = {s.check: s for s in check_raw(con, [get("mp", "event")], DAY, DAY, "run-g")}
    assert checks["quarantine_share"].blocking_failed
    message = next(f.details["message"] for f in checks["quarantine_share"].findings if f.blocking)
    assert message == (
        "mp/event/2024-05-01/e.jsonl: 9 of 9 rows (100%) quarantined as malformed_id (field openid)"
    )
