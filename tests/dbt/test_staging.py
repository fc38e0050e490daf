"""Staging keeps one row per key, by the version, retry and snapshot rules of docs/sources.md.

Raw tables are created from the contracts and filled with a few hand-written rows; dbt builds the
staging layer (models and their tests) into a temporary DuckDB file; the expectations are hand-computed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import duckdb
import pytest
from dbt_support import dbt_build, write_raw

pytestmark = pytest.mark.build  # dbt builds models on a small warehouse

BEIJING = timezone(timedelta(hours=8))
D1, D2, D3 = date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3)


def bj(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def yz(tid: str, status: str, updated: str, lines: list[tuple[str, str, bool]], **extra) -> dict:
    orders = [{"oid": oid, "outer_sku_id": f"SKU-{oid}", "title": "t", "num": 1, "payment": pay,
               "is_present": gift} for oid, pay, gift in lines]
    return {"tid": tid, "status": status, "update_time": bj(updated), "orders": orders,
            "created": bj("2024-03-01 09:00"), "payment": Decimal("59.90"), "post_fee": Decimal("0"),
            "yz_open_id": "yz1", "refund_state": 0, "is_offline_order": False, **extra}


def dy(status: int, updated: str, lines: list[dict], **extra) -> dict:
    return {"order_id": "D1", "order_status": status, "create_time": bj("2024-03-01 20:00"),
            "update_time": bj(updated), "pay_amount": Decimal("19.90"), "doudian_open_id": "dy1",
            "sku_order_list": lines, **extra}


CONTACT = {"contact_type": 1, "createtime": bj("2024-02-01 10:00"), "add_way": 1, "userid": "u1"}
ADD = {"to_user_name": "corp", "from_user_name": "sys", "msg_type": "event", "userid": "u1",
       "event": "change_external_contact", "external_userid": "wmA", "create_time": bj("2024-03-01 10:00")}
SUBSCRIBE = {"to_user_name": "gh_1", "openid": "o1", "create_time": bj("2024-03-01 08:00"),
             "msg_type": "event"}
INVITE = {"campaign_id": "c1", "inviter_unionid": "un1", "invitee_external_userid": "wmB", "step": "scan",
          "ts": bj("2024-03-01 12:00")}
MEMBERS = [  # join times are 2024-03-01 09:00 and 10:00 Beijing
    {"userid": "u1", "type": 1, "join_time": 1709254800, "join_scene": 1},
    {"userid": "wmA", "type": 2, "unionid": "un1", "join_time": 1709258400, "join_scene": 3,
     "invitor": {"userid": "u1"}},
    {"userid": "wmA", "type": 2, "unionid": "un1", "join_time": 1709258400, "join_scene": 3},
]
LINE = {"order_id": "s1", "parent_order_id": "D1", "code": "SKU1", "product_name": "p", "item_num": 1,
        "pay_amount": 1990, "room_id": "0"}
PAID = "WAIT_BUYER_PAY"

# (source, entity) -> rows of (business date, file name, business columns)
RAW: dict[tuple[str, str], list[tuple[date, str, dict]]] = {
    ("youzan", "trade"): [
        (D1, "a.jsonl", yz("T1", PAID, "2024-03-01 10:00", [("o1", "59.90", False)])),
        (D2, "a.jsonl", yz("T1", "TRADE_PAID", "2024-03-02 09:00",
                           [("o1", "59.90", False), ("o2", "0", True)], pay_time=bj("2024-03-02 08:59"))),
        # an older version delivered late must not win
        (D3, "a.jsonl", yz("T1", PAID, "2024-03-01 12:00", [("o1", "59.90", False)])),
        # the same update_time twice: the later landing wins
        (D1, "a.jsonl", yz("T2", PAID, "2024-03-01 11:00", [("o3", "9.90", False)])),
        (D2, "a.jsonl", yz("T2", "TRADE_CLOSED", "2024-03-01 11:00", [("o3", "9.90", False)])),
    ],
    ("douyin", "order"): [
        # the newer version wins although it sits in the earlier file
        (D1, "a.jsonl", dy(105, "2024-03-01 20:01", [LINE], pay_time=bj("2024-03-01 20:01"))),
        (D1, "b.jsonl", dy(1, "2024-03-01 20:00", [])),
    ],
    ("tmall", "trade"): [
        (D1, "z.csv", {"order_no": '="100"', "paid_amount": Decimal("10")}),
        (D2, "a.csv", {"order_no": "100", "paid_amount": Decimal("20")}),
        (D2, "b.csv", {"order_no": '="100"', "paid_amount": Decimal("30")}),
    ],
    ("wecom", "contact_event"): [
        (D1, "a.jsonl", {**ADD, "change_type": "add_external_contact"}),
        (D2, "a.jsonl", {**ADD, "change_type": "add_external_contact"}),  # a retry in the next day's folder
        (D2, "a.jsonl", {**ADD, "change_type": "del_external_contact", "source": "DELETE_BY_TRANSFER"}),
    ],
    ("oa", "event"): [
        (D1, "a.jsonl", {**SUBSCRIBE, "event": "subscribe", "event_key": "qrscene_store1"}),
        (D1, "b.jsonl", {**SUBSCRIBE, "event": "subscribe", "event_key": "qrscene_store1"}),
        (D2, "a.jsonl", {**SUBSCRIBE, "event": "subscribe", "event_key": "qrscene_store1"}),
        (D1, "a.jsonl", {**SUBSCRIBE, "event": "SCAN", "event_key": "store1"}),
    ],
    ("wecom", "external_contact"): [
        (D1, "a.jsonl", {**CONTACT, "external_userid": "wmA", "state": "s1"}),
        (D1, "a.jsonl", {**CONTACT, "external_userid": "woB", "contact_type": 2}),
        (D2, "a.jsonl", {**CONTACT, "external_userid": "wmA", "state": "s1"}),
        (D2, "b.jsonl", {**CONTACT, "external_userid": "wmA", "state": "s2",
                         "remark_mobiles_hashes": ["h1", None], "remark_mobiles_kinds": ["valid", "masked"]}),
    ],
    ("wecom", "group_chat"): [
        (D2, "c1.json", {"chat_id": "c1", "owner": "u1", "create_time": bj("2024-03-01 09:00"),
                         "member_list": MEMBERS}),
    ],
    ("org", "employee"): [
        (D1, "a.csv", {"userid": "u1", "store_code": "S1", "role": "guide", "status": "active"}),
        (D1, "a.csv", {"userid": "u2", "store_code": "S1", "role": "guide", "status": "active"}),
        (D2, "a.csv", {"userid": "u1", "store_code": "S2", "role": "guide", "status": "active"}),
    ],
    ("fission", "invitation"): [(D1, "a.jsonl", INVITE), (D2, "a.jsonl", INVITE)],
}


@pytest.fixture(scope="module")
def staging(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("staging")
    warehouse = tmp / "warehouse.duckdb"
    write_raw(warehouse, RAW)
    # the staging of every landing source; identity and value stage the pipeline's own Python steps
    dbt_build(tmp, warehouse, ["--select", "staging", "--exclude", "staging.identity", "staging.value"])
    con = duckdb.connect(str(warehouse))
    yield lambda model, columns: con.execute(f"select {columns} from staging.{model} order by all").fetchall()
    con.close()


def test_youzan_latest_update_time_wins(staging):
    assert staging("stg_youzan__trades", "tid, status, paid_date, landed_date, is_closed, is_cancelled") == [
        ("T1", "TRADE_PAID", D2, D2, False, False), ("T2", "TRADE_CLOSED", None, D2, True, True)]
    assert staging("stg_youzan__trade_lines", "tid, oid, payment_amount, is_present") == [
        ("T1", "o1", Decimal("59.90"), False), ("T1", "o2", Decimal("0.00"), True),
        ("T2", "o3", Decimal("9.90"), False)]


def test_douyin_latest_update_time_wins_and_lines_in_yuan(staging):
    assert staging("stg_douyin__orders", "order_id, order_status, is_live_order") == [("D1", 105, False)]
    assert staging("stg_douyin__order_lines", "sku_order_id, pay_amount, room_id") == [
        ("s1", Decimal("19.90"), None)]


def test_tmall_latest_file_wins_by_folder_date_then_name(staging):
    assert staging("stg_tmall__trades", "order_no, paid_amount, landed_file") == [
        ("100", Decimal("30.00"), "tmall/trade/2024-03-02/b.csv")]


def test_contact_event_retried_in_a_later_folder_appears_once(staging):
    assert staging("stg_wecom__contact_events", "change_type, landed_date, is_deleted_by_transfer") == [
        ("add_external_contact", D2, False), ("del_external_contact", D2, True)]


def test_oa_events_dedupe_on_openid_time_and_event(staging):
    assert staging("stg_oa__events", "event, qr_scene_str") == [("SCAN", "store1"), ("subscribe", "store1")]


def test_snapshots_keep_one_row_per_day_and_key(staging):
    assert staging("stg_wecom__external_contacts",
                   "snapshot_date, external_userid, state, is_other_corp, is_latest_snapshot") == [
        (D1, "wmA", "s1", False, False), (D1, "woB", None, True, False), (D2, "wmA", "s2", False, True)]
    assert staging("stg_wecom__external_contact_mobiles",
                   "snapshot_date, mobile_position, mobile_hash, mobile_kind") == [
        (D2, 1, "h1", "valid"), (D2, 2, None, "masked")]
    assert staging("stg_org__employees", "userid, store_code, snapshot_date") == [("u1", "S2", D2)]


def test_group_members_flattened_once_per_member(staging):
    columns = "member_userid, member_type, external_userid, unionid, joined_date, invitor_userid"
    columns += ", is_latest_snapshot"
    assert staging("stg_wecom__group_chat_members", columns) == [
        ("u1", 1, None, None, D1, None, True), ("wmA", 2, "wmA", "un1", D1, "u1", True)]


def test_fission_invitation_reexported_appears_once(staging):
    assert staging("stg_fission__invitations", "count(*), count(distinct invitation_id)") == [(1, 1)]
