"""int_orders from raw rows: versions, refunds, returns and product flags through staging and intermediate.

The dbt unit tests check each orders model against hand-made staging rows; this test checks that the
layers fit together on rows shaped like the loader writes them (JSON lines, Douyin lines in 分, Tmall
order numbers in Excel's ="…" wrapping). Expectations are hand-computed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import duckdb
import pytest
from dbt_support import dbt_build, write_raw

pytestmark = pytest.mark.build  # dbt builds models on a small warehouse

BEIJING = timezone(timedelta(hours=8))
D1, D2 = date(2024, 3, 1), date(2024, 3, 2)


def bj(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def yz(tid: str, status: str, updated: str, payment: str, lines: list[tuple[str, bool]], **extra) -> dict:
    orders = [{"oid": f"{tid}-{n}", "outer_sku_id": sku, "title": sku, "num": 1, "payment": "1",
               "is_present": gift} for n, (sku, gift) in enumerate(lines, start=1)]
    return {"tid": tid, "status": status, "created": bj("2024-03-01 10:00"), "update_time": bj(updated),
            "payment": Decimal(payment), "post_fee": Decimal("0"), "yz_open_id": f"y-{tid}", "orders": orders,
            "refund_state": 0, "is_offline_order": False, **extra}


def refund(refund_id: str, tid: str, status: str, fee: str, modified: str) -> dict:
    return {"refund_id": refund_id, "tid": tid, "status": status, "refund_fee": Decimal(fee),
            "created": bj("2024-03-01 12:00"), "modified": bj(modified), "reason": "r"}


def receipt(store: str, no: str, amount: str, **extra) -> dict:
    return {"store_code": store, "receipt_no": no, "traded_at": bj("2024-03-01 15:00"),
            "amount": Decimal(amount), "discount": Decimal("0"), "is_late_swipe": False, **extra}


def product(sku: str, title: str, category: str, is_trial: bool) -> dict:
    return {"sku": sku, "title": title, "category": category, "list_price": Decimal("9.9"),
            "is_trial": is_trial}


PAID_AT = {"pay_time": bj("2024-03-01 10:05")}
DY_LINES = [{"order_id": "s1", "code": "TRIAL", "product_name": "p", "item_num": 1, "pay_amount": 1990,
             "room_id": "777"},
            {"order_id": "s2", "code": "FULL", "product_name": "p", "item_num": 1, "pay_amount": 19900,
             "room_id": "0"}]

RAW: dict[tuple[str, str], list[tuple[date, str, dict]]] = {
    ("org", "product"): [
        (D1, "p.csv", product("TRIAL", "体验装", "skincare", True)),
        (D1, "p.csv", product("FULL", "正装", "skincare", False)),
        (D1, "p.csv", product("SAMPLE", "小样", "sample", False)),
    ],
    ("youzan", "trade"): [
        # three versions: unpaid, paid, then a later version naming a gift; an old copy lands late
        (D1, "a.jsonl", yz("T1", "WAIT_BUYER_PAY", "2024-03-01 10:00", "9.90", [("TRIAL", False)])),
        (D1, "a.jsonl", yz("T1", "TRADE_PAID", "2024-03-01 10:05", "9.90", [("TRIAL", False)], **PAID_AT)),
        (D2, "a.jsonl", yz("T1", "TRADE_SUCCESS", "2024-03-02 10:00", "9.90",
                           [("TRIAL", False), ("SAMPLE", True)], **PAID_AT)),
        (D2, "b.jsonl", yz("T1", "WAIT_BUYER_PAY", "2024-03-01 10:00", "9.90", [("TRIAL", False)])),
        # closed after payment and fully refunded
        (D2, "a.jsonl", yz("T2", "TRADE_CLOSED", "2024-03-02 11:00", "199.00", [("FULL", False)], **PAID_AT)),
        # samples only
        (D1, "a.jsonl", yz("T3", "TRADE_SUCCESS", "2024-03-01 11:00", "5", [("SAMPLE", False)], **PAID_AT)),
        # issue 18: awaiting payment although it carries a pay_time — the status decides, not paid
        (D1, "a.jsonl", yz("T4", "WAIT_BUYER_PAY", "2024-03-01 11:00", "110.99", [("FULL", False)],
                           **PAID_AT)),
    ],
    ("youzan", "refund"): [
        (D1, "r.jsonl", refund("R1", "T1", "WAIT_SELLER_AGREE", "9.90", "2024-03-01 12:00")),
        (D2, "r.jsonl", refund("R1", "T1", "CLOSED", "9.90", "2024-03-02 12:00")),
        (D2, "r.jsonl", refund("R2", "T2", "SUCCESS", "150.00", "2024-03-02 12:00")),
        (D2, "r.jsonl", refund("R3", "T2", "SUCCESS", "49.00", "2024-03-02 13:00")),
    ],
    ("douyin", "order"): [
        (D1, "o.jsonl", {"order_id": "D1", "order_status": 5, "create_time": bj("2024-03-01 20:00"),
                         "pay_time": bj("2024-03-01 20:01"), "update_time": bj("2024-03-01 20:01"),
                         "pay_amount": Decimal("218.90"), "doudian_open_id": "dd1",
                         "sku_order_list": DY_LINES}),
        # order_status 1 (unpaid) with a pay_time: not paid
        (D1, "o.jsonl", {"order_id": "D2", "order_status": 1, "create_time": bj("2024-03-01 21:00"),
                         "pay_time": bj("2024-03-01 21:01"), "update_time": bj("2024-03-01 21:01"),
                         "pay_amount": Decimal("199.00"), "doudian_open_id": "dd2", "room_id": "0",
                         "sku_order_list": DY_LINES[1:]}),
    ],
    ("douyin", "after_sale"): [
        (D2, "s.jsonl", {"aftersale_id": "A1", "order_id": "D1", "aftersale_type": 1, "aftersale_status": 12,
                         "refund_amount": Decimal("19.90"), "refund_status": 3,
                         "create_time": bj("2024-03-02 09:00"), "update_time": bj("2024-03-02 10:00")}),
    ],
    ("tmall", "trade"): [
        (D1, "t.csv", {"order_no": '="9001"', "buyer_nick": "nick", "payable_amount": Decimal("19.90"),
                       "paid_amount": Decimal("19.90"), "order_status": "交易成功",
                       "created_at": bj("2024-03-01 08:00"), "paid_at": bj("2024-03-01 08:01"),
                       "refund_amount": Decimal("0"), "item_title": "体验装", "item_quantity": 1}),
        # 等待买家付款 with a 付款时间: not paid
        (D1, "t.csv", {"order_no": '="9002"', "buyer_nick": "nick2", "payable_amount": Decimal("19.90"),
                       "paid_amount": Decimal("19.90"), "order_status": "等待买家付款",
                       "created_at": bj("2024-03-01 09:00"), "paid_at": bj("2024-03-01 09:01"),
                       "refund_amount": Decimal("0"), "item_title": "体验装", "item_quantity": 1}),
    ],
    ("pos", "receipt"): [
        (D1, "r.csv", receipt("S1", "001", "300.00", card_no="M1", cashier_code="K1")),
        (D1, "r.csv", receipt("S1", "002", "88.00")),
        (D2, "r.csv", receipt("S1", "003", "-100.00", card_no="M1", original_receipt_no="001")),
        (D2, "r.csv", receipt("S2", "009", "-50.00", original_receipt_no="001")),
    ],
}


@pytest.fixture(scope="module")
def orders(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("orders")
    warehouse = tmp / "warehouse.duckdb"
    write_raw(warehouse, RAW)
    dbt_build(tmp, warehouse, ["--select", "+intermediate.orders"])
    con = duckdb.connect(str(warehouse))
    sql = "select order_key, {} from intermediate.int_orders order by all"
    yield lambda columns: con.execute(sql.format(columns)).fetchall()
    con.close()


def test_one_order_per_sale_and_returns_are_not_orders(orders):
    assert [key for key, _ in orders("1")] == [
        "douyin:D1", "douyin:D2", "pos:S1:001", "pos:S1:002", "tmall:9001", "tmall:9002",
        "youzan:T1", "youzan:T2", "youzan:T3", "youzan:T4"]


def test_amounts_net_successful_refunds_and_returns(orders):
    assert orders("paid_amount, refunded_amount, net_amount") == [
        ("douyin:D1", Decimal("218.90"), Decimal("19.90"), Decimal("199.00")),
        ("douyin:D2", Decimal("199.00"), Decimal("0.00"), Decimal("199.00")),
        # S1's own return nets, and so does S2's: no 001 in S2, and S1's is the only other one
        ("pos:S1:001", Decimal("300.00"), Decimal("150.00"), Decimal("150.00")),
        ("pos:S1:002", Decimal("88.00"), Decimal("0.00"), Decimal("88.00")),
        ("tmall:9001", Decimal("19.90"), Decimal("0.00"), Decimal("19.90")),
        ("tmall:9002", Decimal("19.90"), Decimal("0.00"), Decimal("19.90")),
        ("youzan:T1", Decimal("9.90"), Decimal("0.00"), Decimal("9.90")),
        ("youzan:T2", Decimal("199.00"), Decimal("199.00"), Decimal("0.00")),
        ("youzan:T3", Decimal("5.00"), Decimal("0.00"), Decimal("5.00")),
        ("youzan:T4", Decimal("110.99"), Decimal("0.00"), Decimal("110.99")),
    ]


def test_paid_purchase_and_trial_flags(orders):
    assert orders("is_paid_order, is_purchase, is_trial_order, buyer_id_type, paid_date") == [
        ("douyin:D1", True, True, False, "doudian_open_id", D1),
        ("douyin:D2", False, False, False, "doudian_open_id", D1),
        ("pos:S1:001", True, True, False, "pos_card_no", D1),
        ("pos:S1:002", True, True, False, None, D1),
        ("tmall:9001", True, True, True, "tmall_buyer_nick", D1),
        ("tmall:9002", False, False, False, "tmall_buyer_nick", D1),
        ("youzan:T1", True, True, True, "yz_open_id", D1),
        ("youzan:T2", True, False, False, "yz_open_id", D1),
        ("youzan:T3", False, False, False, "yz_open_id", D1),
        ("youzan:T4", False, False, False, "yz_open_id", D1),
    ]
