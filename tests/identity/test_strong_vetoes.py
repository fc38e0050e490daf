"""Strong links obey the linking rule of sources.md too: a person holds at most one unionid and, per
corp, at most one external_userid, and no link may put two of them into one customer.

Hand-made days through the identity step, each replayed incrementally and in full (the tables must
match): who ends up together, what identity.rejected reports, and which ids change.
"""

from __future__ import annotations

from replays import node, phone_link, replay, strong, two_days

U = node("unionid", "u1", 1)
OA = node("oa_openid", "o1", 2)
WM = node("external_userid", "wm1", 3)   # a WeChat user's contact
WO = node("external_userid", "wo1", 4)   # a second contact of the corp WeCom gives the same unionid
U2 = node("unionid", "u2", 5)
MP2 = node("mp_openid", "m2", 6)


def test_two_contacts_of_the_corp_sharing_a_unionid_stay_apart_and_the_link_is_reported(pair):
    # Day 1: u1 with its OA openid and contact wm1: one customer. Day 2: WeCom also gives u1 to wo1.
    # Which contact is u1's cannot be told: u1 keeps o1, wm1 and wo1 stand alone; u1 is reported.
    links = [strong(OA, U), strong(WM, U)]
    meta, before, ids, out = two_days(pair, ([U, OA, WM], links), ([U, OA, WM, WO], [*links, strong(WO, U)]))
    was = before[("unionid", "u1")]
    assert {before[k[:2]] for k in (U, OA, WM)} == {was}
    assert ids[("unionid", "u1")] == ids[("oa_openid", "o1")]
    assert len({ids[k[:2]] for k in (U, WM, WO)}) == 3
    assert out["rejected"] == [("unionid", "u1", "unique_type_veto:external_userid", 1)]
    assert sorted(c[:2] for c in out["changes"]) == [("split", was)] * 2  # {u1, o1} and {wm1}
    assert len(out["customers"]) == 3 and meta["identifiers_touched"] == 4


def test_a_corrected_delivery_without_the_second_contact_brings_the_first_back(pair):
    first = ([U, OA, WM], [strong(OA, U), strong(WM, U)])
    shared = ([U, OA, WM, WO], [*first[1], strong(WO, U)])
    _, per_day, out = replay(pair, first, shared, first)
    assert per_day[2][("external_userid", "wm1")] == per_day[2][("unionid", "u1")]
    assert out["rejected"] == []


def test_a_contact_named_with_two_unionids_stands_alone(pair):
    # wm1's snapshot says u1, a group member row says u2 (whose mini program openid is m2)
    nodes = [U, OA, WM, U2, MP2]
    links = [strong(OA, U), strong(WM, U), strong(MP2, U2), strong(WM, U2)]
    _, per_day, out = replay(pair, (nodes, links[:3]), (nodes, links))
    ids = per_day[-1]
    assert ids[("unionid", "u1")] == ids[("oa_openid", "o1")] != ids[("unionid", "u2")]
    assert ids[("unionid", "u2")] == ids[("mp_openid", "m2")]
    assert ids[("external_userid", "wm1")] not in {ids[("unionid", "u1")], ids[("unionid", "u2")]}
    assert out["rejected"] == [("external_userid", "wm1", "unique_type_veto:unionid", 1)]


def test_a_phone_then_tells_which_contact_is_the_unionids(pair):
    # The shared unionid of the first case, plus phone h in wm1's remark and on u1's mini program
    # login m2: h joins u1's account with wm1 (one unionid, one contact); wo1 stays alone.
    h = node("phone", "h", 7)
    nodes = [U, OA, WM, WO, MP2, h]
    links = [strong(OA, U), strong(WM, U), strong(WO, U), strong(MP2, U), phone_link(WM, h),
             phone_link(MP2, h)]
    _, per_day, out = replay(pair, (nodes, links[:5]), (nodes, links))
    ids = per_day[-1]
    assert {ids[k[:2]] for k in (U, OA, WM, MP2, h)} == {ids[("unionid", "u1")]}
    assert ids[("external_userid", "wo1")] != ids[("unionid", "u1")]
    assert out["rejected"] == [("unionid", "u1", "unique_type_veto:external_userid", 1)]


def test_a_unionid_left_alone_by_the_cut_is_nobody_s_customer(pair):
    # WeCom's documented group example: member wm1 and another company's contact wo1 carry one unionid
    # and nothing else names it. Cut from both, the unionid is one of theirs: as a customer of its own
    # it would count one person twice. It stays reported, in no customer.
    meta, _, ids, out = two_days(pair, ([WM], []), ([U, WM, WO], [strong(WM, U), strong(WO, U)]))
    assert ("unionid", "u1") not in ids
    assert out["rejected"] == [("unionid", "u1", "unique_type_veto:external_userid", 1)]
    assert len(out["customers"]) == 2
