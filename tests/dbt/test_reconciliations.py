"""The reconciliation tests hold for any history and on empty inputs (issues 11 and 18).

A brand whose first landing day is 2026-09-01 delivers orders going back to 2025 (its back-catalogue:
a refund today updates an order of last year), and a brand delivers no orders at all. The whole project
is built over each, data tests included: every test must pass, and the figures the reconciliations
compare are checked against hand-computed ones. Raw rows are shaped as the loader writes them; the
identity tables are written by hand (what the identity step would give for these few identifiers).
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import duckdb
import pytest
from dbt_support import failures, run_dbt, write_raw

from identity.warehouse import DDL as IDENTITY_DDL
from value.warehouse import ensure_tables as create_clv_tables

pytestmark = pytest.mark.build  # dbt builds models on a small warehouse

BEIJING = timezone(timedelta(hours=8))
D1, D2 = date(2026, 9, 1), date(2026, 9, 2)  # the only landing folders
RECONCILIATIONS = {
    "assert_net_revenue_reconciles_with_staged_orders",
    "assert_cohort_retention_reconciles",
    "assert_channel_economics_reconciles",
    "assert_one_user_asset_row_per_identity_customer",
}


def bj(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def tmall(no: str, nick: str, paid: str, at: str, refund: str = "0") -> dict:
    return {"order_no": f'="{no}"', "buyer_nick": nick, "payable_amount": Decimal(paid),
            "paid_amount": Decimal(paid), "order_status": "交易成功", "created_at": bj(at), "paid_at": bj(at),
            "refund_amount": Decimal(refund), "item_title": "正装", "item_quantity": 1}


def receipt(no: str, at: str, amount: str, **extra) -> dict:
    return {"store_code": "S1", "receipt_no": no, "traded_at": bj(at), "amount": Decimal(amount),
            "discount": Decimal("0"), "is_late_swipe": False, **extra}


EMPLOYEES = [(D1, "e.csv", {"userid": "u1", "role": "guide", "status": "active"}),
             (D1, "e.csv", {"userid": "u2", "role": "guide", "status": "active"})]

HISTORY = {
    ("org", "employee"): EMPLOYEES,
    ("tmall", "trade"): [
        # bought in June 2025, in the first export; the next day's export carries a 30 元 refund
        (D1, "t.csv", tmall("9001", "nick1", "100.00", "2025-06-01 10:00")),
        (D2, "t.csv", tmall("9001", "nick1", "100.00", "2025-06-01 10:00", refund="30.00")),
        (D1, "t.csv", tmall("9002", "nick1", "59.90", "2026-09-01 12:00")),
    ],
    ("pos", "receipt"): [
        (D1, "r.csv", receipt("001", "2025-11-11 15:00", "200.00", card_no="M1")),
        (D2, "r.csv", receipt("002", "2026-09-02 10:00", "-50.00", card_no="M1", original_receipt_no="001")),
        # anonymous receipts (no card, no phone): one from last year, one in the calendar
        (D1, "r.csv", receipt("003", "2025-12-31 20:00", "88.00")),
        (D2, "r.csv", receipt("004", "2026-09-02 11:00", "30.00")),
    ],
    ("wecom", "external_contact"): [
        # the first snapshot: u1's friend since 2025-05-20, no add event ever delivered
        (D1, "c.jsonl", {"external_userid": "wm1", "contact_type": 1, "userid": "u1",
                         "createtime": bj("2025-05-20 10:00"), "add_way": 1}),
        (D2, "c.jsonl", {"external_userid": "wm1", "contact_type": 1, "userid": "u1",
                         "createtime": bj("2025-05-20 10:00"), "add_way": 1}),
    ],
}
HISTORY_IDENTITY = [("tmall_buyer_nick", "nick1", "c1"), ("external_userid", "wm1", "c1"),
                    ("pos_card_no", "M1", "c2")]

NO_ORDERS = {  # a first delivery of org lists and ad spend: no order, no customer
    ("org", "employee"): EMPLOYEES,
    ("ads", "spend"): [(D1, "s.csv", {"date": D1, "platform": "oceanengine", "account_id": "a1",
                                      "campaign_id": "k1", "campaign_name": "k", "impressions": 10,
                                      "clicks": 1, "cost": Decimal("12.50")})],
}


def build(tmp, raw: dict, identity: list[tuple[str, str, str]]):
    warehouse = tmp / "warehouse.duckdb"
    write_raw(warehouse, raw)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(IDENTITY_DDL)
        create_clv_tables(con)  # the CLV step's tables, which the CLV marts read
        for row in identity:
            con.execute("insert into identity.customer_map values (?, ?, ?)", list(row))
        for customer_id in sorted({c for _, _, c in identity}):
            con.execute("insert into identity.customers values (?, ?)", [customer_id, bj("2025-05-20 10:00")])
    result = run_dbt(tmp, warehouse, ["build", "--exclude-resource-type", "unit_test"])
    ran = {r.node.name: r.status for r in result.result or []}

    def query(sql: str) -> list[tuple]:
        with duckdb.connect(str(warehouse)) as con:
            return con.execute(sql).fetchall()

    return failures(result), ran, query, warehouse


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    return build(tmp_path_factory.mktemp("history"), HISTORY, HISTORY_IDENTITY)


@pytest.fixture(scope="module")
def no_orders(tmp_path_factory):
    return build(tmp_path_factory.mktemp("no_orders"), NO_ORDERS, [])


def test_history_before_the_first_landing_day_builds_and_reconciles(history):
    failed, ran, _, _ = history
    assert failed == []
    assert {name: ran.get(name) for name in RECONCILIATIONS} == dict.fromkeys(RECONCILIATIONS, "pass")


def test_user_assets_hold_all_history_and_daily_kpis_the_loaded_days(history):
    _, _, query, _ = history
    # c1: 9001 100 − 30 refunded = 70.00, plus 9002 59.90; c2: the 200 sale of 2025 less its 50 return
    assert query("select customer_id, orders_count, net_revenue from marts.user_assets order by 1") == [
        ("c1", 2, Decimal("129.90")), ("c2", 1, Decimal("150.00"))]
    # the calendar is the loaded days: 9002 on 09-01, the anonymous 30 元 receipt on 09-02
    assert query("select business_date, purchases, net_revenue from marts.daily_kpis order by 1") == [
        (D1, 1, Decimal("59.90")), (D2, 1, Decimal("30.00"))]


def test_a_snapshot_friendship_of_last_year_is_new_in_its_month(history):
    _, _, query, _ = history
    # created 2025-05-20; c1 bought 12 days later (9001) → monetized; no message loaded → not served
    assert query("""select month, userid, channel, new_friendships, served_friendships, monetized_friendships,
                        window_complete from marts.wecom_success_rates order by all""") == [
        (date(2025, 5, 1), "u1", "wecom", 1, 0, 1, True)]


def test_every_guide_has_a_row_in_every_loaded_month(history):
    _, _, query, _ = history
    # u1 has c1 as a friend in September; u2 has nobody: zeros, rates null
    assert query("""select userid, month, customer_asset_count, reached_customers, buyers,
                        touched_net_revenue, delivery_rate, scene_conversion_rate, revenue_per_buyer,
                        untouched_net_revenue
                    from marts.guide_performance order by all""") == [
        ("u1", D1, 1, 0, 0, Decimal("0.00"), 0.0, None, None, Decimal("59.90")),
        ("u2", D1, 0, 0, 0, Decimal("0.00"), None, None, None, Decimal("0.00"))]


def test_no_orders_and_no_customers_reconcile(no_orders):
    failed, ran, query, _ = no_orders
    assert failed == []
    assert {name: ran.get(name) for name in RECONCILIATIONS} == dict.fromkeys(RECONCILIATIONS, "pass")
    assert query("select count(*) from marts.user_assets") == [(0,)]
    assert query("select business_date, purchases, net_revenue from marts.daily_kpis") == [
        (D1, 0, Decimal("0.00"))]


def test_the_net_revenue_reconciliation_can_fail(history, tmp_path):
    """One purchase too many in user_assets and 1 元 too much on a calendar day of daily_kpis: two rows."""
    *_, warehouse = history
    tampered = tmp_path / "tampered.duckdb"
    shutil.copy(warehouse, tampered)
    with duckdb.connect(str(tampered)) as con:
        con.execute("update marts.user_assets set orders_count = orders_count + 1 where customer_id = 'c2'")
        con.execute("update marts.daily_kpis set net_revenue = net_revenue + 1 where business_date = ?", [D2])
    check = "assert_net_revenue_reconciles_with_staged_orders"
    result = run_dbt(tmp_path, tampered, ["test", "--select", check])
    assert [(r.node.name, r.status, r.failures) for r in result.result] == [(check, "fail", 2)]
