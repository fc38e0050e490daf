"""An incremental run writes exactly what a full recompute writes: same customers, ids, changes, rejections.

Day by day, one warehouse resolves incrementally and another in full from the same links; every table
must match after every day. Hand-made cases show the rules an incremental run must not get wrong
because the changed link is far from the customers it affects.
"""

from __future__ import annotations

import duckdb
import pytest
from link_worlds import World, load, partition, tables
from replays import CAP, SECRET, node, phone_link, replay, run, strong, two_days

from identity.warehouse import resolve_identities


@pytest.mark.parametrize("seed", [1, 2])
def test_day_by_day_incremental_equals_full(pair, tmp_path, seed):
    inc, full = pair
    world, paths, touched, reasons = World(seed), [], [], set()
    for day in range(12):
        world.advance(people=120 if day == 0 else 15)
        for con in pair:
            world.load(con)
        meta = run(inc)
        run(full, incremental=False)
        paths.append(meta["path"])
        touched.append(meta["identifiers_touched"] / meta["identifiers"])
        assert tables(inc) == tables(full), f"day {day}"
        reasons |= {reason for _, _, reason, _ in tables(inc)["rejected"]}
    assert paths == ["full"] + ["incremental"] * 11
    assert max(touched[1:]) < 0.5  # the incremental runs really left most identifiers alone

    history = tables(inc)
    kinds = {change for change, *_ in history["changes"]}
    assert kinds == {"merge", "split"} and "over_shared" in reasons
    # some day, a mini program / OA openid whose unionid came late met another unionid through a phone
    assert "unique_type_veto:wechat_account" in reasons
    # some day, a unionid on two contacts, or a contact with two unionids, had its strong links cut
    assert {"unique_type_veto:external_userid", "unique_type_veto:unionid"} & reasons
    assert {r.split(":")[0] for r in reasons} == {"over_shared", "unique_type_veto"}

    # From scratch on the final links: the same people together (ids differ: they carry the history).
    fresh = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    world.load(fresh)
    run(fresh, incremental=False)
    assert partition(tables(fresh)["customer_map"]) == partition(history["customer_map"])
    assert tables(fresh)["rejected"] == history["rejected"]
    fresh.close()


U1, O1, M2, Y2, U9 = (
    node("unionid", "u1", 1),
    node("oa_openid", "o1", 2),
    node("mp_openid", "m2", 5),
    node("yz_open_id", "y2", 6),
    node("unionid", "u9", 3),
)


def test_new_link_merges_two_old_customers_and_the_oldest_id_survives(pair):
    nodes, links = [U1, O1, M2, Y2, U9], [strong(O1, U1), strong(Y2, M2)]
    meta, before, ids, out = two_days(pair, (nodes, links), (nodes, [*links, strong(M2, U1)]))
    old, young = before[("unionid", "u1")], before[("mp_openid", "m2")]
    assert {ids[k[:2]] for k in (U1, O1, M2, Y2)} == {old}
    assert [c for c in out["changes"] if c[0] == "merge"] == [("merge", young, old)]
    assert meta["identifiers_touched"] == 4 and meta["components_recomputed"] == 1  # u9 left alone


def test_removed_link_splits_a_customer(pair):
    nodes, links = [U1, O1, M2, U9], [strong(O1, U1), strong(M2, U1)]
    meta, before, ids, out = two_days(pair, (nodes, links), (nodes, [strong(O1, U1)]))
    was = before[("unionid", "u1")]
    assert ids[("unionid", "u1")] != ids[("mp_openid", "m2")] and was not in ids.values()
    assert sorted(c[:2] for c in out["changes"]) == [("split", was)] * 2
    assert meta["links_removed"] == 1 and meta["identifiers_touched"] == 3


def test_an_identifier_that_returns_alone_gets_an_id_nobody_holds(pair):
    # Day 1: u1 (the older, so the customer's id derives from it) with o1. Day 2 a corrected delivery
    # drops u1: the customer lives on with o1. Day 3 u1 is back, linked to nothing: a new customer,
    # which must not get the id derived from u1 again — o1's customer still holds it.
    _, per_day, out = replay(pair, ([U1, O1], [strong(O1, U1)]), ([O1], []), ([U1, O1], []))
    ids = per_day[-1]
    customers = [c for c, *_ in out["customers"]]
    assert ids[("unionid", "u1")] != ids[("oa_openid", "o1")]
    assert len(customers) == len(set(customers)) == 2


def test_new_isolated_identifier_becomes_a_customer_alone(pair):
    nodes, links = [U1, O1, U9], [strong(O1, U1)]
    meta, _, ids, out = two_days(pair, (nodes, links), ([*nodes, node("clue_id", "k1", 7)], links))
    assert len(set(ids.values())) == 3 and out["changes"] == []
    assert meta["identifiers_touched"] == 1 and meta["identifiers_added"] == 1


def test_edge_pushing_a_phone_over_the_degree_cap_separates_everyone_it_joined(pair):
    # phone h on three accounts of three people: within the cap (3), they are one customer
    h, accounts = node("phone", "h"), [node(t, f"{t}1") for t in ("yz_open_id", "pos_card_no", "clue_id")]
    tmall = node("tmall_member_id", "t1")
    nodes, links = [h, *accounts, tmall, U9], [phone_link(a, h) for a in accounts]
    meta, before, ids, out = two_days(pair, (nodes, links), (nodes, [*links, phone_link(tmall, h)]))
    joined = before[("yz_open_id", "yz_open_id1")]
    assert {before[a[:2]] for a in accounts} == {joined}
    assert out["rejected"] == [("phone", "h", "over_shared", 1)]
    assert len({ids[a[:2]] for a in accounts}) == 3 and joined not in ids.values()
    assert sorted(c[:2] for c in out["changes"]) == [("split", joined)] * 3
    # the new edge touched only tmall and h, yet all four accounts were recomputed
    assert meta["identifiers_touched"] == 5 and meta["components_recomputed"] == 1


def test_removed_link_bringing_a_rejected_phone_under_the_cap_joins_customers_it_does_not_touch(pair):
    # h on four accounts is over-shared; a corrected day drops one: h is back within the cap and joins
    # the other three, though neither end of the dropped link belonged to their customers
    h = node("phone", "h")
    kinds = ("yz_open_id", "pos_card_no", "clue_id")
    accounts = [node(t, f"{t}1", day) for day, t in enumerate(kinds, start=1)]
    tmall = node("tmall_member_id", "t1")
    links = [phone_link(a, h) for a in accounts]
    meta, before, ids, out = two_days(
        pair, ([h, *accounts, tmall, U9], [*links, phone_link(tmall, h)]), ([h, *accounts, tmall, U9], links)
    )
    oldest = before[accounts[0][:2]]
    assert {ids[a[:2]] for a in [h, *accounts]} == {oldest} and out["rejected"] == []
    assert sorted(c[:2] for c in out["changes"]) == sorted(("merge", before[a[:2]]) for a in accounts[1:])
    assert meta["identifiers_touched"] == 5


def test_removed_strong_link_pushing_a_phone_over_the_cap_separates_everyone_it_joined(pair):
    # h touches {yz1-mp1}, pos1, clue1: three strong components. Dropping yz1-mp1 makes it four.
    h, yz, mp, pos, clue = (
        node("phone", "h"),
        node("yz_open_id", "y1"),
        node("mp_openid", "m1"),
        node("pos_card_no", "p1"),
        node("clue_id", "k1"),
    )
    nodes, links = [h, yz, mp, pos, clue, U9], [phone_link(a, h) for a in (yz, mp, pos, clue)]
    meta, before, ids, out = two_days(pair, (nodes, [*links, strong(yz, mp)]), (nodes, links))
    assert len({before[a[:2]] for a in (yz, mp, pos, clue)}) == 1
    assert len({ids[a[:2]] for a in (yz, mp, pos, clue)}) == 4 and out["rejected"][0][2] == "over_shared"


def test_a_hub_phone_over_the_cap_on_both_days_does_not_pull_in_its_customers(pair):
    hub, accounts = node("phone", "h"), [node("pos_card_no", f"p{i}") for i in range(6)]
    links = [phone_link(a, hub) for a in accounts[:5]]
    meta, before, ids, out = two_days(
        pair, ([hub, *accounts], links), ([hub, *accounts], [*links, phone_link(accounts[5], hub)])
    )
    assert meta["identifiers_touched"] == 1 and ids == before  # only p5: its new link goes to the hub
    assert out["rejected"] == [("phone", "h", "over_shared", 1)]


def test_no_previous_state_or_changed_rules_run_in_full(pair):
    inc = pair[0]
    load(inc, [U1, O1], [strong(O1, U1)])
    assert run(inc)["path_reason"] == "no previous state"
    assert run(inc)["path"] == "incremental"
    meta = resolve_identities(inc, degree_cap=CAP + 1, secret=SECRET)
    assert meta["path"] == "full" and meta["path_reason"].startswith("rules changed")
    other_groups = {"wechat_account": ("unionid", "mp_openid")}
    meta = resolve_identities(inc, degree_cap=CAP + 1, account_groups=other_groups, secret=SECRET)
    assert meta["path"] == "full" and meta["path_reason"].startswith("rules changed")
    load(inc, [U1, O1, M2, U9], [strong(O1, U1)])
    # 2 of 4 identifiers are new: over the 30% default
    meta = resolve_identities(inc, degree_cap=CAP + 1, account_groups=other_groups, secret=SECRET)
    assert meta["path"] == "full" and "> 30%" in meta["path_reason"]
