"""Unit slips at any volume: a day's amounts against the amounts delivered before it, and order lines
against the catalogue's list price × quantity — for a brand selling a few orders a week."""

import json
from datetime import timedelta

import pytest
from quality_support import DAY, put, warehouse

from ingestion.contracts import get
from quality.amounts import amount_scale, history_days, list_prices
from quality.amounts_sql import line_ratios, money_days
from quality.raw_checks import check_raw

CATALOGUE = [("SC-T01", "9.90"), ("SC-E01", "299.00"), ("SC-C01", "369.00"), ("SC-S01", "0.00")]


def brand():
    con = warehouse()
    products = [
        {"sku": s, "title": s, "category": "x", "list_price": p, "is_trial": False} for s, p in CATALOGUE
    ]
    put(con, "org", "product", products, DAY - timedelta(60), file="product.csv")
    return con


def trade(tid: str, *lines, day=DAY, version: int = 9) -> dict:
    """A Youzan trade of lines (sku, num, payment in 元 as the API's string)."""
    items = [
        {"oid": f"{tid}{i}", "outer_sku_id": s, "num": n, "payment": p} for i, (s, n, p) in enumerate(lines)
    ]
    return {
        "tid": tid,
        "status": "TRADE_SUCCESS",
        "created": f"{day} 0{version}:00:00+08",
        "update_time": f"{day} 0{version}:00:00+08",
        "payment": sum(float(p) for _, _, p in lines),
        "post_fee": 0,
        "yz_open_id": "zqh0usb2MErloy7Vck7zdMbL",
        "buyer_phone_kind": "empty",
        "orders": json.dumps(items),
        "refund_state": 0,
        "is_offline_order": False,
    }


def night(*trades, day=DAY):
    con = brand()
    for week in range(1, 5):  # a few orders a week before tonight
        put(
            con,
            "youzan",
            "trade",
            [trade(f"E{week}", ("SC-E01", 1, "279.00"), day=day - timedelta(7 * week))],
            day - timedelta(7 * week),
        )
    put(con, "youzan", "trade", list(trades), day)
    return con


def verdict(con, source="youzan", entity="trade", column="orders"):
    return list_prices([DAY], column, *line_ratios(con, get(source, entity), DAY, DAY))


def test_two_trades_at_100x_block_and_name_the_file():
    con = night(trade("A", ("SC-E01", 1, "29900.00")), trade("B", ("SC-C01", 1, "33210.00")))
    finding = verdict(con)
    assert not finding.success and finding.blocking and finding.failed_days == (DAY,)
    assert finding.details["days"][str(DAY)]["ratio"] == pytest.approx((100 + 90) / 2)
    assert finding.details["days"][str(DAY)]["files"][0]["file"] == "youzan/trade/2026-10-20/export.jsonl"
    assert (
        finding.details["message"]
        == "orders on 2026-10-20: the median of 2 lines pays 95x its list price × quantity"
    )


def test_yuan_read_as_fen_blocks():
    con = night(trade("A", ("SC-E01", 1, "2.99")), trade("B", ("SC-T01", 1, "0.10")))
    assert verdict(con).failed_days == (DAY,)


def test_a_trial_sku_a_gift_and_half_price_are_a_promotion_not_a_slip():
    promotion = night(
        trade("A", ("SC-T01", 1, "9.90")),  # the 9.9 元 trial: its list price
        trade("B", ("SC-E01", 2, "299.00"), ("SC-C01", 1, "0.00"), ("SC-S01", 1, "0.00")),  # 50% off, gifts
    )
    finding = verdict(promotion)
    assert finding.success and finding.details["days"][str(DAY)] == {"lines": 2, "ratio": 0.75}


def test_penny_test_orders_and_single_lines_are_not_judged():
    tests = night(trade("A", ("SC-T01", 1, "0.01")), trade("B", ("SC-T01", 1, "0.01")))
    assert verdict(tests).success and verdict(tests).details["days"] == {}
    one = night(trade("A", ("SC-E01", 1, "29900.00")))  # one line may be a stale list price
    assert verdict(one).success


@pytest.mark.parametrize("ratio, blocks", [(9.9, False), (10.0, True), (0.051, False), (0.05, True)])
def test_the_list_price_band(ratio, blocks):
    assert list_prices([DAY], "orders", {DAY: (2, ratio)}, {}).success is not blocks


def test_douyin_lines_are_read_in_fen():
    def order(oid: str, fen: int) -> dict:
        line = {"sku_order_id": oid + "1", "code": "SC-E01", "item_num": 1, "pay_amount": fen}
        return {
            "order_id": oid,
            "order_status": 5,
            "create_time": f"{DAY} 09:00:00+08",
            "update_time": f"{DAY} 09:00:00+08",
            "pay_amount": fen / 100,
            "doudian_open_id": "d1",
            "mask_post_tel_kind": "empty",
            "sku_order_list": json.dumps([line]),
        }

    right, slipped = brand(), brand()
    put(right, "douyin", "order", [order("1", 26910), order("2", 29900)])  # 分, as the platform sends
    put(slipped, "douyin", "order", [order("1", 269), order("2", 299)])  # 元 written where 分 belong
    assert verdict(right, "douyin", "order", "sku_order_list").success
    assert not verdict(slipped, "douyin", "order", "sku_order_list").success


def test_the_night_blocks_through_the_amounts_check():
    con = night(trade("A", ("SC-E01", 1, "29900.00")), trade("B", ("SC-C01", 1, "33210.00")))
    found = {s.check: s for s in check_raw(con, [get("youzan", "trade")], DAY, DAY, "run-a")}
    assert found["amounts"].blocking_failed and found["amounts"].files == [
        "youzan/trade/2026-10-20/export.jsonl"
    ]
    assert [c for c, s in found.items() if s.blocking_failed] == ["amounts"]


def test_history_is_the_most_recent_delivered_days_not_a_calendar_week():
    counts = {
        DAY - timedelta(1): 50,
        DAY - timedelta(3): 100,
        DAY - timedelta(40): 80,
        DAY - timedelta(50): 500,
    }
    assert history_days(counts, DAY) == [DAY - timedelta(1), DAY - timedelta(3), DAY - timedelta(40)]
    assert history_days({DAY - timedelta(91): 500}, DAY) == []  # older than a quarter
    assert history_days({DAY: 500}, DAY) == []


@pytest.mark.parametrize(
    "today, blocks", [(12_000.0, True), (2_399.0, False), (6.1, False), (5.9, True), (1.2, True)]
)
def test_a_days_median_20x_off_its_history_blocks(today, blocks):
    finding = amount_scale([DAY], "amount", {DAY: (20, today)}, {DAY: (200, 120.0)}, {})
    assert finding.success is not blocks and finding.blocking


def test_small_days_and_thin_history_are_left_to_the_catalogue():
    assert amount_scale([DAY], "amount", {DAY: (19, 12_000.0)}, {DAY: (200, 120.0)}, {}).success
    assert amount_scale([DAY], "amount", {DAY: (20, 12_000.0)}, {DAY: (19, 120.0)}, {}).success


def receipt(no: int, amount: float, day) -> dict:
    return {
        "store_code": "S001",
        "receipt_no": f"R{no}",
        "traded_at": f"{day} 12:00:00+08",
        "phone_kind": "empty",
        "amount": amount,
        "discount": 0,
        "cashier_code": "C1",
        "is_late_swipe": False,
    }


def test_a_store_delivering_weekly_is_judged_against_its_last_deliveries():
    con = brand()
    for week in (2, 3):  # nothing in the calendar week before tonight
        day = DAY - timedelta(7 * week)
        put(con, "pos", "receipt", [receipt(week * 100 + i, 100.0 + i, day) for i in range(30)], day)
    put(con, "pos", "receipt", [receipt(i, (100.0 + i) * 100, DAY) for i in range(25)])
    today, history, files = money_days(con, get("pos", "receipt"), "amount", DAY, DAY)
    assert today == {DAY: (25, 11_200.0)} and history == {DAY: (60, 114.5)}
    finding = amount_scale([DAY], "amount", today, history, files)
    assert finding.details["message"] == "amount on 2026-10-20: median 11200 against 114.5 before (97.8x)"
    assert not finding.success and finding.observed == pytest.approx(11_200 / 114.5, abs=1e-4)
    assert finding.details["days"][str(DAY)]["files"] == [
        {"file": "pos/receipt/2026-10-20/export.jsonl", "amounts": 25, "median": 11_200.0}
    ]


def test_an_orders_versions_count_once():
    con = brand()
    versions = [trade(f"T{i}", ("SC-E01", 1, "279.00"), version=v) for i in range(10) for v in (7, 8, 9)]
    put(con, "youzan", "trade", versions)
    today, _, _ = money_days(con, get("youzan", "trade"), "payment", DAY, DAY)
    assert today == {DAY: (10, 279.0)}  # 30 rows, 10 orders: too few for a median to be judged
