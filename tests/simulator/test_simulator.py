"""The simulator: deterministic output, truth that matches the landing files, real encodings."""

from __future__ import annotations

import hashlib
import sys
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from simulator import SimConfig, simulate

sys.path.insert(0, str(Path(__file__).parent))  # the shared reader next to this file
import simulator_landing as sl  # noqa: E402

ID_TYPES = {"unionid", "oa_openid", "mp_openid", "external_userid", "phone", "yz_open_id", "doudian_open_id",
            "tmall_buyer_nick", "tmall_member_id", "pos_card_no", "clue_id", "employee_userid"}


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("landing")
    simulate(root, customers=300, days=20, seed=7, end_date=date(2026, 10, 31))
    return root


def _digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_arguments_give_byte_identical_trees_and_another_seed_does_not(tmp_path):
    # Small chunks and flushes exercise the streaming path: many chunks appending to the same files.
    cfg = SimConfig(chunk_size=70, flush_items=400)
    runs = {}
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        simulate(tmp_path / name, customers=250, days=10, seed=seed, config=cfg)
        runs[name] = _digests(tmp_path / name)
    assert len(runs["a"]) > 100
    assert runs["a"] == runs["b"]
    shared = set(runs["a"]) & set(runs["c"])
    assert sum(runs["a"][k] != runs["c"][k] for k in shared) > 0.8 * len(shared)


def test_rerun_replaces_earlier_output(tmp_path):
    simulate(tmp_path, customers=120, days=12, seed=5)
    simulate(tmp_path, customers=120, days=6, seed=5)
    days = {p.relative_to(tmp_path).parts[2] for p in sl.landing_files(tmp_path)}
    assert days == {f"2026-10-{d}" for d in range(26, 32)}


def test_every_truth_identifier_appears_in_the_landing_files(landing):
    tokens, phones = set(), set()
    for path in sl.landing_files(landing):
        text = sl.text_of(path)
        tokens |= sl.tokens_in(text)
        phones |= sl.phones_in(text)
    rows = sl.truth(landing, "identities")
    assert {r["id_type"] for r in rows} == ID_TYPES
    missing = [r for r in rows if r["id_value"] not in (phones if r["id_type"] == "phone" else tokens)]
    assert not missing[:5], f"{len(missing)} identifiers never written"
    persons = {r["person_id"] for r in sl.truth(landing, "persons")}
    buyers = {o["person_id"] for o in sl.truth(landing, "orders")}
    assert {r["person_id"] for r in rows} <= persons == {r["person_id"] for r in rows} | buyers


def test_identities_are_as_messy_as_real_ones(landing):
    rows = sl.truth(landing, "identities")
    by_type = defaultdict(list)
    for r in rows:
        by_type[r["id_type"]].append(r["id_value"])
    wechat = [v for k in ("unionid", "oa_openid", "mp_openid") for v in by_type[k]]
    assert wechat and all(len(v) == 28 and v.startswith("o") for v in wechat)
    assert "wm" in {v[:2] for v in by_type["external_userid"]} <= {"wm", "wo"}   # wo… in the realism test
    assert max(Counter(by_type["phone"]).values()) >= 2            # a family shares one phone
    persons = sl.truth(landing, "persons")
    customers = [p for p in persons if p["kind"] == "customer"]
    share = sum(p["has_unionid"] == "1" for p in customers) / len(customers)
    assert 0.45 < share < 0.8
    assert {"customer", "employee", "test"} <= {p["kind"] for p in persons}
    text = "".join(sl.text_of(p) for p in sl.landing_files(landing))
    assert "****" in text and "+86 1" in text and "86-1" in text
    assert any(ph in text for ph in ("13800138000", "00000000000", "11111111111"))


def test_files_are_in_their_real_encodings(landing):
    kinds = Counter()
    for path in sl.landing_files(landing):
        raw = path.read_bytes()
        rel = path.relative_to(landing).as_posix()
        if rel.endswith(".xlsx"):
            assert rel.startswith("ads/spend/") and sl.xlsx_rows(path)[0][0] == "date"
            kinds["xlsx"] += 1
            continue
        if rel.startswith(("tmall/", "pos/")):
            raw.decode("gb18030")
            if any(b > 127 for b in raw):
                with pytest.raises(UnicodeDecodeError):
                    raw.decode("utf-8")
                kinds["gb"] += 1
        else:
            raw.decode("utf-8")
        if raw.startswith(sl.BOM):   # Excel's UTF-8 CSVs, and the odd JSONL saved by an editor
            kinds["bom " + rel.rsplit(".", 1)[1]] += 1
    assert kinds["gb"] > 0 and kinds["bom csv"] > 0 and kinds["bom jsonl"] > 0 and kinds["xlsx"] > 0
    assert kinds["bom jsonl"] < kinds["bom csv"]
    assert (landing / "org/store/2026-10-12/store.csv").read_bytes().startswith(sl.BOM)


def test_truth_orders_add_up_and_match_the_files(landing):
    orders = sl.truth(landing, "orders")
    assert {o["source"] for o in orders} == {"youzan", "douyin", "tmall", "pos"}
    for o in orders:
        paid, refunded, net = (Decimal(o[k]) for k in ("paid_amount", "refunded_amount", "net_amount"))
        assert net == paid - refunded and refunded >= 0
        if o["is_paid_order"] == "1":
            assert o["paid_at_utc"] and paid > 0
        if o["is_trial_order"] == "1":
            assert o["is_paid_order"] == "1" and net > 0
        if not o["paid_at_utc"]:
            assert paid == 0
    latest: dict[tuple[str, str], dict] = {}
    pos_paid = pos_back = Decimal(0)
    for _, source, entity, _, _, rec in sl.genuine(landing):
        if (source, entity) in (("youzan", "trade"), ("douyin", "order")):
            head = rec["full_order_info"]["order_info"] if source == "youzan" else rec
            key = (source, head["tid"] if source == "youzan" else head["order_id"])
            if key not in latest or _version(source, rec) >= _version(source, latest[key]):
                latest[key] = rec
        elif (source, entity) == ("pos", "receipt"):
            amount = Decimal(rec["金额"])
            if amount > 0:
                pos_paid += amount
            else:
                pos_back -= amount
    shops = {(o["source"], o["order_id"]): o for o in orders if o["source"] in ("youzan", "douyin")}
    assert set(shops) == set(latest)
    for (source, order_id), rec in latest.items():
        if source == "youzan":   # pay_time "" before payment is "not paid"
            info, pay = rec["full_order_info"]["order_info"], rec["full_order_info"]["pay_info"]
            expected = Decimal(pay["payment"]) if info.get("pay_time") else Decimal(0)
            room = ""
        else:   # 分; pay_time 0 = not paid; a line bought in a live stream names its room
            expected = Decimal(rec["pay_amount"]) / 100 if rec["pay_time"] else Decimal(0)
            rooms = {str(ln["room_id"]) for ln in rec["sku_order_list"]
                     if ln.get("room_id", 0) not in (0, "0", "")}
            assert len(rooms) <= 1
            room = rooms.pop() if rooms else ""
        assert Decimal(shops[(source, order_id)]["paid_amount"]) == expected, order_id
        assert shops[(source, order_id)]["live_room_id"] == room, order_id
    assert any(o["live_room_id"] for o in orders)
    pos = [o for o in orders if o["source"] == "pos"]
    assert sum(Decimal(o["paid_amount"]) for o in pos) == pos_paid
    assert sum(Decimal(o["refunded_amount"]) for o in pos) == pos_back


def _version(source: str, rec: dict):
    return rec["full_order_info"]["order_info"]["update_time"] if source == "youzan" else rec["update_time"]


def test_shop_orders_are_nested_as_the_platforms_send_them(landing):
    """Youzan lines under full_order_info.orders with their oids; Douyin lines with their own order_id and
    the shop order's id as parent_order_id; outer_user_id only ever a mini program openid the buyer has."""
    mp_openids = {r["openid"] for _, s, e, _, _, r in sl.genuine(landing) if (s, e) == ("mp", "user")}
    outer, parents, sizes = set(), defaultdict(set), Counter()
    for _, source, entity, _, _, rec in sl.genuine(landing):
        if (source, entity) == ("youzan", "trade"):
            order = rec["full_order_info"]
            assert {"order_info", "buyer_info", "pay_info", "orders"} <= set(order)
            assert all(isinstance(ln["payment"], str) and ln["oid"] for ln in order["orders"])
            outer.add(order["buyer_info"].get("outer_user_id", ""))
        elif (source, entity) == ("douyin", "order"):
            assert "room_id" not in rec and isinstance(rec["pay_amount"], int)
            sizes[len(rec["sku_order_list"])] += 1
            for ln in rec["sku_order_list"]:
                assert ln["parent_order_id"] == rec["order_id"] != ln["order_id"]
                parents[ln["order_id"]].add(rec["order_id"])
    assert outer - {""} and outer - {""} <= mp_openids
    assert all(len(p) == 1 for p in parents.values()) and max(sizes) >= 2   # a line id names one order
