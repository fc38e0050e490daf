"""The guides' task lists, from raw rows to the files `siyu export guides` writes, on a brand small
enough to know by hand who must be on which list and why (latest loaded date L = 2026-10-31).

Buyers (Tmall): cA 1000 元 on 06-01, cB 900 on 10-30, cT a 9.9 trial on 10-20, cT2 a trial on 10-10
then 299 full price on 10-15, cT3 a trial on 09-20, cC 100 on 10-28. Six buyers: the top ceil(0.2 × 6)
= 2 by 365-day revenue are super users, cA and cB. Recency at L: 152, 1, 11, 16, 41, 3 — mean 37.3:
cA's 152 is no better (R低) → at risk; cB's 1 is better (R高) → not. cA: F 1 ≤ mean 7/6, M 1000 >
mean 388.1 → 重要挽留客户; cT: R高 F低 M低 → 一般发展客户.
Trials: cT's last trial is 10-20, within 30 days → due 11-19; cT2 bought full price; cT3's last trial
(09-20) is 41 days back. New friends who never bought, window 30 × 24 h from the add: cF (g2, 10-15
10:00 → 11-14), cK (g1, 10-25 → 11-24), cX (g2, 10-28 → 11-27), cL (gx, who left, 10-20 → 11-19),
cG2 (g1, 10-02 10:00 → ends 11-01 10:00, after L's end → 11-01); cG1 (10-01 10:00 → 10-31 10:00) is
out. Care moments on 11-01: cK's friend_day_7 and cG2's friend_day_30 (g1, their primary guide); cP's
birthday (POS member, primary guide g2, exclusive guide g1); cQ's birthday goes to exclusive guide g1,
who is no WeCom friend of cQ → on no list. cA is g2's friend too, but g1's friendship is older.
Planted: a phone in raw phone columns, a name and remark in free text, a crafted external_userid.
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import zipfile
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import duckdb
import pytest
from dbt_support import failures, run_dbt, write_raw

from identity.warehouse import DDL as IDENTITY_DDL
from orchestration.cli import main

pytestmark = pytest.mark.build  # dbt builds models on a small warehouse

BEIJING = timezone(timedelta(hours=8))
D1, L = date(2026, 10, 30), date(2026, 10, 31)
HYPERLINK = '=HYPERLINK("http://evil.example","x")'
PHONE, NAME = "13812345678", "王小明 老客户 爱喝咖啡"
STAFF_PHONE = "13900001111"  # not PHONE: a customer holding a colleague's phone is taken for staff
CONTACTS = [  # guide, external_userid, customer, friend since (Beijing)
    ("g1", "wmA", "cA", "2026-05-01 10:00"), ("g2", "wmA", "cA", "2026-10-20 10:00"),
    ("g1", "wmB", "cB", "2026-04-01 10:00"), ("g2", "wmT", "cT", "2026-09-01 10:00"),
    ("g2", "wmT2", "cT2", "2026-09-01 10:00"), ("g2", "wmT3", "cT3", "2026-08-01 10:00"),
    ("g2", "wmF", "cF", "2026-10-15 10:00"), ("g1", "wmG1", "cG1", "2026-10-01 10:00"),
    ("g1", "wmG2", "cG2", "2026-10-02 10:00"), ("g1", "wmK", "cK", "2026-10-25 09:00"),
    ("g2", "wmP", "cP", "2026-06-01 10:00"), ("g2", HYPERLINK, "cX", "2026-10-28 10:00"),
    ("gx", "wmL", "cL", "2026-10-20 10:00"),
]
TRADES = [  # order, buyer nick, customer, paid, title, paid at (Beijing)
    ("T1", "nA", "cA", "1000.00", "正装 精华", "2026-06-01 12:00"),
    ("T2", "nB", "cB", "900.00", "正装 精华", "2026-10-30 12:00"),
    ("T3", "nT", "cT", "9.90", "体验装 精华", "2026-10-20 12:00"),
    ("T4", "nT2", "cT2", "9.90", "体验装 精华", "2026-10-10 12:00"),
    ("T5", "nT2", "cT2", "299.00", "正装 精华", "2026-10-15 12:00"),
    ("T6", "nT3", "cT3", "9.90", "体验装 精华", "2026-09-20 12:00"),
    ("T7", "nC", "cC", "100.00", "正装 精华", "2026-10-28 12:00"),
]


def bj(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def employee(userid: str, role: str, status: str) -> tuple:
    return (L, "e.csv", {"userid": userid, "store_code": "S1", "role": role, "status": status,
                         "mobile_hash": STAFF_PHONE})


RAW = {
    ("org", "employee"): [employee("g1", "guide", "active"), employee("g2", "guide", "active"),
                          employee("g9", "guide", "active"), employee("gx", "guide", "left"),
                          employee("m1", "manager", "active")],
    ("org", "product"): [(D1, "p.csv", {"sku": sku, "title": title, "category": "精华", "is_trial": trial,
                                        "list_price": Decimal(price)})
                         for sku, title, trial, price in [("TRIAL9", "体验装 精华", True, "9.90"),
                                                          ("FULL1", "正装 精华", False, "299.00")]],
    ("wecom", "external_contact"): [
        (day, "c.jsonl", {"external_userid": ext, "contact_type": 1, "userid": guide, "createtime": bj(at),
                          "add_way": 1, "corp_name": NAME})
        for day in (D1, L) for guide, ext, _, at in CONTACTS],
    ("tmall", "trade"): [
        (D1, "t.csv", {"order_no": f'="{no}"', "buyer_nick": nick, "payable_amount": Decimal(paid),
                       "paid_amount": Decimal(paid), "order_status": "交易成功", "created_at": bj(at),
                       "paid_at": bj(at), "receiver_phone_hash": PHONE, "refund_amount": Decimal("0"),
                       "item_title": title, "item_quantity": 1})
        for no, nick, _, paid, title, at in TRADES],
    ("pos", "member"): [
        (L, "m.csv", {"card_no": card, "phone_hash": PHONE, "birthday": "11-01", "store_code": "S1",
                      "registered_at": bj("2025-03-01 10:00"), "guide_userid": "g1"})
        for card in ("M1", "M2")],
}
IDENTITY = sorted({("external_userid", ext, c) for _, ext, c, _ in CONTACTS}
                  | {("tmall_buyer_nick", nick, c) for _, nick, c, *_ in TRADES}
                  | {("pos_card_no", "M1", "cP"), ("pos_card_no", "M2", "cQ")})

CARE, SUPER, TRIAL, NEW = "关怀时刻", "超级用户流失预警", "体验装未转正装", "新好友未购买"
P, NB = "pooled", "friend_never_bought"
# reason, due, moment, external_userid, customer, segment, stage, last purchase, friend since, code
EXPECTED = {
    "g1": [[CARE, "2026-11-01", "friend_day_30", "wmG2", "cG2", "", P, "", "2026-10-02", "care_moment"],
           [CARE, "2026-11-01", "friend_day_7", "wmK", "cK", "", P, "", "2026-10-25", "care_moment"],
           [SUPER, "", "", "wmA", "cA", "重要挽留客户", "first_purchase", "2026-06-01", "2026-05-01",
            "super_user_at_risk"],
           [NEW, "2026-11-01", "", "wmG2", "cG2", "", P, "", "2026-10-02", NB],
           [NEW, "2026-11-24", "", "wmK", "cK", "", P, "", "2026-10-25", NB]],
    "g2": [[CARE, "2026-11-01", "birthday", "wmP", "cP", "", P, "", "2026-06-01", "care_moment"],
           [TRIAL, "2026-11-19", "", "wmT", "cT", "一般发展客户", "first_purchase", "2026-10-20",
            "2026-09-01", "trial_not_converted"],
           [NEW, "2026-11-14", "", "wmF", "cF", "", P, "", "2026-10-15", NB],
           [NEW, "2026-11-27", "", "'" + HYPERLINK, "cX", "", P, "", "2026-10-28", NB]],
    "g9": [],  # an active guide with nothing to do still gets a list
    "gx": [[NEW, "2026-11-19", "", "wmL", "cL", "", P, "", "2026-10-20", NB]],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("guide_tasks")
    warehouse = tmp / "warehouse.duckdb"
    write_raw(warehouse, RAW)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(IDENTITY_DDL)
        con.executemany("insert into identity.customer_map values (?, ?, ?)", IDENTITY)
        for customer_id in sorted({c for *_, c in IDENTITY}):
            con.execute("insert into identity.customers values (?, ?)", [customer_id, bj("2026-04-01 10:00")])
    result = run_dbt(tmp, warehouse, ["build", "--exclude-resource-type", "unit_test", "--indirect-selection",
                                      "buildable", "--select", "+int_guides__tasks", "+care_calendar"])
    return warehouse, result


def read_csv(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_the_models_and_their_tests_build(built):
    _, result = built
    assert result.success, result.exception or failures(result)
    ran = {r.node.name: r.status for r in result.result}
    # the task models and the mart publishing their care moments, with their tests, all built
    assert ran["int_guides__tasks"] == ran["care_calendar"] == "success"
    assert ran["not_null_and_unique_int_guides__tasks"] == "pass"


def test_each_guide_gets_exactly_the_customers_due_and_why(built, tmp_path, monkeypatch):
    built_warehouse, _ = built
    with duckdb.connect(str(built_warehouse)) as con:  # dbt's connection in this process stays open:
        con.execute("checkpoint")  # the export (read-only) reads a copy, as another process would
    warehouse = tmp_path / "copy.duckdb"
    shutil.copy(built_warehouse, warehouse)
    monkeypatch.setenv("SIYU_WAREHOUSE", str(warehouse))
    out = tmp_path / "lists"
    assert main(["export", "guides", "--day", "2026-10-31", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{g}_2026-10-31.{ext}" for g in EXPECTED for ext in ("csv", "xlsx"))
    assert {g: read_csv(out / f"{g}_2026-10-31.csv")[1:] for g in EXPECTED} == EXPECTED
    for path in out.iterdir():  # the planted phone, name and remark reach no file
        if path.suffix == ".xlsx":  # a zip: its XML parts, as stored
            with zipfile.ZipFile(path) as z:
                text = "".join(z.read(n).decode("utf-8") for n in z.namelist())
        else:
            text = path.read_bytes().decode("utf-8-sig")
        assert [p for p in (PHONE, STAFF_PHONE, NAME, "王小明") if p in text] == []
