"""Merge protection on hand-drawn graphs: each case states who should end up together."""

import numpy as np
import pytest

from identity.components import components, count_components, distinct, resolve


def arr(*xs):
    return np.array(xs, dtype=np.int64)


def test_components_labels_are_smallest_member():
    labels = components(6, arr(0, 1, 4), arr(1, 2, 5))
    assert labels.tolist() == [0, 0, 0, 3, 4, 4]


def test_shared_family_phone_does_not_merge_two_unionids():
    # nodes: 0 unionid A, 1 openid a, 2 unionid B, 3 openid b, 4 phone shared by a and b
    res = resolve(5, (arr(0, 2), arr(1, 3)), (arr(1, 3), arr(4, 4)), {"unionid": arr(0, 2)}, degree_cap=5)
    assert res.labels[0] != res.labels[2]
    assert res.rejected_phones == {4: "unique_type_veto:unionid"}


def test_phone_links_accounts_without_conflict():
    # 0 unionid A, 1 mp openid, 2 youzan buyer, 3 phone on mp user and youzan order
    res = resolve(4, (arr(0), arr(1)), (arr(1, 2), arr(3, 3)), {"unionid": arr(0)}, degree_cap=5)
    assert len(set(res.labels[[0, 1, 2]].tolist())) == 1
    assert res.rejected_phones == {}


def test_guide_phone_in_many_remarks_is_over_shared():
    # 0..6 seven customers' external_userids, 7 the guide's phone typed into all their remarks
    n = 8
    res = resolve(
        n,
        (arr(), arr()),
        (arr(0, 1, 2, 3, 4, 5, 6), arr(*[7] * 7)),
        {"external_userid": arr(*range(7))},
        degree_cap=5,
    )
    assert len(set(res.labels[:7].tolist())) == 7
    assert res.rejected_phones[7] == "over_shared"


def test_chain_of_phones_joining_two_unionids_is_cut():
    # 0 unionid A - 1 openid; 2 youzan buyer (no unionid); 3 unionid B - 4 openid
    # phone 5 on openid 1 and buyer 2; phone 6 on buyer 2 and openid 4: each alone is harmless
    res = resolve(
        7, (arr(0, 3), arr(1, 4)), (arr(1, 2, 2, 4), arr(5, 5, 6, 6)), {"unionid": arr(0, 3)}, degree_cap=5
    )
    assert res.labels[0] != res.labels[3]
    assert set(res.rejected_phones) == {5, 6}


def test_configured_single_account_types_keep_a_family_with_their_own_shop_accounts_apart():
    # 0, 1: two Youzan buyers (mother, daughter) whose orders carry one family phone 2; 3: a POS card
    # with the same phone. With yz_open_id among the unique types the phone is a family phone.
    strong, phones = (arr(), arr()), (arr(0, 1, 3), arr(2, 2, 2))
    merged = resolve(4, strong, phones, {"unionid": arr()}, degree_cap=5)
    assert len(set(merged.labels.tolist())) == 1  # the spec's veto alone cannot tell them apart
    apart = resolve(4, strong, phones, {"unionid": arr(), "yz_open_id": arr(0, 1)}, degree_cap=5)
    assert apart.labels[0] != apart.labels[1] and apart.rejected_phones == {2: "unique_type_veto:yz_open_id"}


def test_mini_program_account_without_unionid_stays_apart_from_a_relatives_wechat_account():
    # Daughter: 0 unionid - 1 her WeCom contact, her guide typed the family phone 4 into the remark.
    # Mother: 2 mini program openid with no unionid, logged in with the same phone 4; 3 her Youzan buyer id
    # on that phone too. Two WeChat accounts meet through the phone: it is a family phone.
    strong, phones = (arr(0), arr(1)), (arr(1, 2, 3), arr(4, 4, 4))
    unique = {"unionid": arr(0), "external_userid": arr(1), "mp_openid": arr(2), "yz_open_id": arr(3)}
    merged = resolve(5, strong, phones, unique, degree_cap=5)
    assert len(set(merged.labels.tolist())) == 1  # no type appears twice: the unique types cannot tell
    groups = {"wechat_account": arr(0, 2)}  # nodes of types unionid / oa_openid / mp_openid
    apart = resolve(5, strong, phones, unique, degree_cap=5, account_nodes=groups)
    assert apart.labels[0] == apart.labels[1] and apart.labels[0] != apart.labels[2]
    assert apart.rejected_phones == {4: "unique_type_veto:wechat_account"}


def test_one_wechat_account_with_its_openids_is_one_account():
    # 0 unionid - 1 OA openid - 2 mini program openid (one WeChat account), the mini program's phone 4
    # also on 3, a Youzan buyer id: everything is one person.
    strong, phones = (arr(0, 0), arr(1, 2)), (arr(2, 3), arr(4, 4))
    groups = {"wechat_account": arr(0, 1, 2)}
    res = resolve(
        5, strong, phones, {"unionid": arr(0), "yz_open_id": arr(3)}, degree_cap=5, account_nodes=groups
    )
    assert len(set(res.labels.tolist())) == 1 and res.rejected_phones == {}



# Strong links obey the unique types too (sources.md: no link may put two different unionids, or two of
# one corp's external_userids, into one customer).
UNIQUE = {"unionid": arr(0), "external_userid": arr(1, 2)}


def test_a_unionid_on_two_contacts_of_the_corp_keeps_them_apart_and_is_reported():
    # 0 unionid u, 1 contact wm… and 2 contact wo… both given u by WeCom, 3 u's OA openid.
    # Which contact is u's cannot be told: u loses both links, keeps its OA openid; each contact alone.
    res = resolve(4, (arr(1, 2, 3), arr(0, 0, 0)), (arr(), arr()), UNIQUE, degree_cap=5)
    assert res.labels.tolist() == [0, 1, 2, 0]
    assert res.cut_accounts == {0: "unique_type_veto:external_userid"} and res.rejected_phones == {}


def test_a_contact_named_with_two_unionids_stands_alone():
    # 0 contact e, named with unionid 1 (its snapshot) and unionid 2 (a group member row);
    # 3 OA openid of 1, 4 mini program openid of 2: two WeChat accounts stay whole, e alone.
    unique = {"unionid": arr(1, 2), "external_userid": arr(0)}
    res = resolve(5, (arr(0, 0, 3, 4), arr(1, 2, 1, 2)), (arr(), arr()), unique, degree_cap=5)
    assert res.labels.tolist() == [0, 1, 2, 1, 2]
    assert res.cut_accounts == {0: "unique_type_veto:unionid"}


def test_a_phone_may_then_tell_which_contact_is_the_unionids():
    # The case above, plus 4 a phone typed into contact 1's remark and given by 3's mini program login
    # (3 is a mini program openid here): it joins u's account with contact 1 and nothing else.
    res = resolve(5, (arr(1, 2, 3), arr(0, 0, 0)), (arr(1, 3), arr(4, 4)), UNIQUE, degree_cap=5)
    assert res.labels.tolist() == [0, 0, 2, 0, 0]
    assert res.cut_accounts == {0: "unique_type_veto:external_userid"} and res.rejected_phones == {}


def test_a_phone_on_both_contacts_is_still_vetoed():
    res = resolve(4, (arr(1, 2), arr(0, 0)), (arr(1, 2), arr(3, 3)), UNIQUE, degree_cap=5)
    assert len(set(res.labels[:3].tolist())) == 3
    assert res.rejected_phones == {3: "unique_type_veto:external_userid"}


def test_strong_chain_with_no_identifier_between_two_values_cuts_the_values_loose():
    # mp_openid left out of the unique types: Youzan buyers 0 and 4 link through their mini program
    # openids 1, 3 to one unionid 2. No identifier touches both buyers: each buyer is cut loose.
    unique = {"unionid": arr(2), "yz_open_id": arr(0, 4)}
    res = resolve(5, (arr(0, 1, 3, 4), arr(1, 2, 2, 3)), (arr(), arr()), unique, degree_cap=5)
    assert res.labels.tolist() == [0, 1, 1, 1, 4]
    assert res.cut_accounts == {0: "unique_type_veto:chain", 4: "unique_type_veto:chain"}


def test_strong_links_of_one_person_are_never_cut():
    # unionid 0 with OA 1, mini program 2, contact 3; Youzan buyer 4 on openid 2: one person
    unique = {"unionid": arr(0), "external_userid": arr(3), "oa_openid": arr(1), "mp_openid": arr(2),
              "yz_open_id": arr(4)}
    res = resolve(5, (arr(1, 2, 3, 4), arr(0, 0, 0, 2)), (arr(), arr()), unique, degree_cap=5)
    assert res.labels.tolist() == [0] * 5 and res.cut_accounts == {}


def test_the_project_declares_every_single_account_type():
    from orchestration.settings import dbt_vars

    declared = set(dbt_vars()["identity_unique_types"])
    assert {"unionid", "external_userid"} <= declared  # the spec's veto
    assert {"yz_open_id", "doudian_open_id", "tmall_buyer_nick", "pos_card_no"} <= declared
    assert "phone" not in declared and "clue_id" not in declared  # a person has many phones and leads
    groups = dbt_vars()["identity_account_groups"]
    assert set(groups["wechat_account"]) == {"unionid", "oa_openid", "mp_openid"}  # not WeCom contacts


@pytest.mark.parametrize("size", [0, 1, 7, 50_000])
def test_distinct_and_counts_agree_with_numpy(size):
    values = np.random.default_rng(size).integers(0, max(size // 3, 1), size)
    expected, expected_counts = np.unique(values, return_counts=True)
    got, counts = distinct(values, return_counts=True)
    assert got.tolist() == expected.tolist() and counts.tolist() == expected_counts.tolist()
    assert distinct(values).tolist() == expected.tolist()


def test_component_count_from_smallest_member_labels():
    # 0-1-2 | 3 | 4-5: three components
    labels = components(6, np.array([0, 1, 4]), np.array([1, 2, 5]))
    assert count_components(labels) == 3
