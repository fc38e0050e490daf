"""The demo-sized brand exercises every behaviour the marts measure (spec/marts.md), so a mart that
comes out empty or constant points at the pipeline, not at the data."""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from simulator import simulate

sys.path.insert(0, str(Path(__file__).parent))  # the shared reader next to this file
from simulator_landing import genuine, phones_in, truth  # noqa: E402


@pytest.fixture(scope="module")
def brand(tmp_path_factory):
    root = tmp_path_factory.mktemp("brand")
    simulate(root, customers=2000, days=60, seed=7, end_date=date(2026, 10, 31))
    rows = defaultdict(list)
    for rel, source, entity, day, _, rec in genuine(root):
        rows[f"{source}/{entity}"].append((day, rel, rec))
    return root, rows


def _utc(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def test_friendships_start_end_transfer_and_come_back(brand):
    root, rows = brand
    friendships = truth(root, "friendships")
    reasons = {f["end_reason"] for f in friendships}
    assert reasons == {"", "del_follow_user", "del_external_contact", "transfer"}
    by_person = defaultdict(list)
    for f in friendships:
        by_person[f["person_id"]].append(f)
    moved = 0
    for f in friendships:
        if f["end_reason"] == "transfer":
            nxt = [g for g in by_person[f["person_id"]]
                   if g["userid"] != f["userid"] and g["add_way"] in ("201", "202")
                   and 0 < _utc(g["started_at_utc"]) - _utc(f["ended_at_utc"]) <= 86_400]
            moved += bool(nxt)
    assert moved == sum(f["end_reason"] == "transfer" for f in friendships) > 0
    # Re-added after a deletion: the same guide twice.
    assert any(len({g["userid"] for g in fs}) < len(fs) for fs in by_person.values())
    # A deletion with no callback ends on the first delivered snapshot the relation is missing from.
    manifest = json.loads((root / "_truth" / "manifest.json").read_text())
    delivered = set(manifest["snapshots_delivered"]["wecom/external_contact"])
    unlogged = [f for f in friendships if f["end_event_logged"] == "0"]
    assert unlogged and all(f["ended_on_date"] in delivered for f in unlogged)
    assert len(delivered) < len(manifest["snapshot_dates"])   # this brand skips one: the truth must follow
    events = Counter((r["ChangeType"], r.get("Source")) for _, _, r in rows["wecom/contact_event"])
    for change in ("add_external_contact", "add_half_external_contact", "edit_external_contact",
                   "del_follow_user", "del_external_contact", "transfer_fail"):
        assert any(c == change for c, _ in events), change
    assert events[("del_external_contact", "DELETE_BY_TRANSFER")] > 0
    types = {(r["external_contact"]["type"], r["external_contact"]["external_userid"][:2])
             for _, _, r in rows["wecom/external_contact"]}
    assert types == {(1, "wm"), (2, "wo")}
    assert {p["kind"] for p in truth(root, "persons")} == {"customer", "employee", "test", "other_corp"}


def test_groups_gain_and_lose_members_between_snapshots(brand):
    _, rows = brand
    members = defaultdict(dict)
    for day, _, r in rows["wecom/group_chat"]:
        g = r["group_chat"]
        members[g["chat_id"]][day] = {m["userid"] for m in g["member_list"] if m["type"] == 2}
    joined = left = 0
    for by_day in members.values():
        days = sorted(by_day)
        for a, b in zip(days, days[1:], strict=False):
            joined += len(by_day[b] - by_day[a])
            left += len(by_day[a] - by_day[b])
    assert joined > 0 and left > 0


def test_messages_mass_messages_and_guide_behaviour(brand):
    _, rows = brand
    statuses = Counter(r["status"] for _, _, r in rows["wecom/groupmsg_send"] if "external_userid" in r)
    assert set(statuses) == {0, 1, 2, 3}
    assert any("chat_id" in r for _, _, r in rows["wecom/groupmsg_send"])
    switches = [r for _, _, r in rows["wecom/message"] if r["action"] == "switch"]
    assert switches and all(set(r) == {"msgid", "action", "time", "user"} for r in switches)
    senders = Counter(r["from"][:2] for _, _, r in rows["wecom/message"] if r["action"] != "switch")
    assert senders["wm"] > 0 and sum(senders.values()) > senders["wm"]
    behaviour = [r for _, _, r in rows["wecom/user_behavior"]]
    assert any("reply_percentage" in r for r in behaviour)
    assert any("reply_percentage" not in r for r in behaviour)


def test_codes_map_to_channels(brand):
    _, rows = brand
    codes = {r["code"] for _, _, r in rows["org/channel_code"]}
    assert {r["campaign_id"] for _, _, r in rows["ads/spend"]} <= codes
    assert {r["promotion_id"] for _, _, r in rows["leads/oceanengine"]} <= codes
    assert {r["utm_campaign"] for _, _, r in rows["mp/event"] if "utm_campaign" in r} <= codes
    keys = {r["EventKey"][8:] for _, _, r in rows["oa/event"] if r.get("EventKey", "").startswith("qrscene_")}
    assert keys and keys <= codes
    states = Counter(r["follow_info"].get("state") in codes for _, _, r in rows["wecom/external_contact"]
                     if r["follow_info"].get("state"))
    assert states[True] > states[False] > 0   # most states are mapped, a guide's own QR is not
    assert {r["campaign_id"] for _, _, r in rows["fission/invitation"]} <= codes


def test_orders_cover_every_shape(brand):
    root, rows = brand
    versions = Counter(r["full_order_info"]["order_info"]["tid"] for _, _, r in rows["youzan/trade"])
    assert max(versions.values()) >= 3
    assert {r["status"] for _, _, r in rows["youzan/refund"]} >= {"SUCCESS", "WAIT_SELLER_AGREE"}
    sources = Counter(("room" if ln.get("room_id") else "video" if ln.get("video_id", "0") != "0" else "none")
                      for _, _, r in rows["douyin/order"] for ln in r["sku_order_list"])
    assert sources["room"] and sources["video"] and sources["none"]
    assert any(r["refund_status"] == 3 for _, _, r in rows["douyin/after_sale"])
    tmall = [r for _, _, r in rows["tmall/trade"]]
    assert any(r["订单编号"].startswith('="') for r in tmall)
    assert any("元" in r["买家实际支付金额"] for r in tmall)
    repeats = Counter(r["订单编号"].strip('="') for r in tmall)
    assert max(repeats.values()) >= 2      # overlapping exports
    receipts = [r for _, _, r in rows["pos/receipt"]]
    numbers = {r["小票号"] for r in receipts}
    returns = [r for r in receipts if r["金额"].startswith("-")]
    assert returns and all(r["原单流水号"] in numbers for r in returns)
    assert any(r["补刷卡标记"] == "1" for r in receipts) and any(not r["会员卡号"] for r in receipts)
    orders = truth(root, "orders")
    unpaid = [o for o in orders if not o["paid_at_utc"]]
    free = [o for o in orders if o["paid_at_utc"] and o["is_paid_order"] == "0"]   # gifts, samples, 0 元
    closed = [o for o in orders if o["is_paid_order"] == "1" and Decimal(o["net_amount"]) == 0]
    assert unpaid and free and closed
    assert sum(o["is_trial_order"] == "1" for o in orders) > 50


def test_revenue_is_concentrated_and_people_come_back(brand):
    root, _ = brand
    revenue, purchases = Counter(), Counter()
    for o in truth(root, "orders"):
        if o["is_paid_order"] == "1" and Decimal(o["net_amount"]) > 0:
            revenue[o["person_id"]] += Decimal(o["net_amount"])
            purchases[o["person_id"]] += 1
    top = sorted(revenue.values(), reverse=True)
    share = sum(top[: len(top) // 5]) / sum(top)
    assert 0.5 < share < 0.85
    assert sum(n >= 2 for n in purchases.values()) > 0.25 * len(purchases)


def test_invitation_trees_are_deep_and_include_self_invitations(brand):
    root, rows = brand
    invitations = truth(root, "invitations")
    generations = Counter((i["campaign_id"] == "mp_share", i["generation"]) for i in invitations)
    assert generations[(False, "3")] > 0 and generations[(True, "3")] > 0
    assert any(i["is_self"] == "1" for i in invitations)
    assert {r["step"] for _, _, r in rows["fission/invitation"]} == {"scan", "add_friend", "task_complete"}
    assert any(r["event"] == "share_open" and r.get("share_from_openid") for _, _, r in rows["mp/event"])


def test_test_accounts_and_birthdays_appear(brand):
    _, rows = brand
    listed = {(r["id_type"], r["id_value"]) for _, _, r in rows["org/test_account"]}
    text = "".join(str(r) for key, items in rows.items() if not key.startswith("org/") for _, _, r in items)
    phones = phones_in(text)
    assert all(("+86" + v) in phones if t == "phone" else v in text for t, v in listed)
    soon = {f"11-{d:02d}" for d in range(1, 31)}
    assert any(r["生日"][-5:] in soon for _, _, r in rows["pos/member"] if r["生日"])
