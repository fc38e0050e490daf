"""The bad-input catalogue, part 4: money and conditional requirements."""

from test_loader_support import (
    POS_RECEIPT,
    T0,
    contact_event,
    csv_text,
    jsonl,
    land,
    load,
    openid,
    quarantined,
    reasons,
)


def test_amounts_values_negative_money_and_zero_is_null(tmp_path, con):
    order = {
        "order_id": "o",
        "order_status": 105,
        "create_time": T0,
        "update_time": T0,
        "pay_amount": 990,
        "doudian_open_id": "d1",
        "sku_order_list": [{"order_id": "s1", "product_name": "p", "item_num": 1, "pay_amount": 990}],
    }
    land(
        tmp_path,
        "douyin",
        "order",
        "o.jsonl",
        jsonl(
            [
                {**order, "order_id": "o1", "pay_time": 0},
                {**order, "order_id": "o2", "pay_time": T0},
                {**order, "order_id": "o3", "pay_amount": -5},
                {**order, "order_id": "o4", "pay_amount": "9.9"},
                {**order, "order_id": "o5", "order_status": "paid"},
            ]
        ),
    )
    load(con, tmp_path, "douyin", "order")
    assert reasons(con, "douyin", "order") == [
        (3, "negative_amount"),
        (4, "unparseable_amount"),
        (5, "unparseable_value"),
    ]
    got = con.execute(
        "select order_id, epoch(pay_time), pay_amount::varchar from raw.douyin__order order by 1"
    ).fetchall()
    assert got == [("o1", None, "9.90"), ("o2", T0, "9.90")]
    land(
        tmp_path,
        "pos",
        "receipt",
        "r.csv",
        csv_text(
            POS_RECEIPT,
            [
                ["S1", "R1", "2024-05-01 10:00:00", "", "", "-1.005", "0", "C1", "R0", "是"],
                ["S1", "R2", "2024-05-01 10:00:00", "", "", "abc", "0", "C1", "", "0"],
            ],
        ),
    )
    load(con, tmp_path, "pos", "receipt")
    assert con.execute("select amount::varchar, is_late_swipe from raw.pos__receipt").fetchall() == [
        ("-1.01", True)
    ]
    assert reasons(con, "pos", "receipt") == [(2, "unparseable_amount")]


def test_required_when_non_followers_and_require_any(tmp_path, con):
    land(
        tmp_path,
        "oa",
        "user",
        "u.jsonl",
        jsonl(
            [
                {"subscribe": 0, "openid": openid("o1"), "unionid": "u1"},
                {
                    "subscribe": 1,
                    "openid": openid("o2"),
                    "subscribe_time": T0,
                    "subscribe_scene": "ADD_SCENE_QR_CODE",
                },
                {"subscribe": 1, "openid": openid("o3")},
            ]
        ),
    )
    load(con, tmp_path, "oa", "user")
    assert reasons(con, "oa", "user") == [(3, "missing_required_field")]
    inv = {"campaign_id": "c1", "step": "scan", "ts": T0}
    land(
        tmp_path,
        "fission",
        "invitation",
        "i.jsonl",
        jsonl(
            [
                {**inv, "inviter_unionid": "a", "invitee_external_userid": "wmB"},
                {**inv, "inviter_external_userid": "wmA"},
                {**inv, "invitee_unionid": "b"},
            ]
        ),
    )
    load(con, tmp_path, "fission", "invitation")
    assert reasons(con, "fission", "invitation") == [
        (2, "missing_required_field"),
        (3, "missing_required_field"),
    ]
    assert (
        "none of invitee_unionid, invitee_external_userid"
        in quarantined(con, "fission", "invitation")[0]["detail"]
    )


def test_ids_of_another_format_are_quarantined_where_they_are_read(tmp_path, con):
    """An openid is 28 characters of [0-9A-Za-z_-], an external_userid `wm…` or `wo…`: one of another
    form (cut short, run on, hand-typed) would be a customer of its own, so its row is quarantined as
    malformed_id; an empty one is missing, and the rows around it load."""
    good = openid("oGood")
    event = {"event_id": "e", "openid": good, "event": "page_view", "page_path": "/p", "scene": "1001",
             "ts": T0 * 1000}
    events = [
        {**event, "event_id": "e1"},
        {**event, "event_id": "e2", "openid": good[:27]},
        {**event, "event_id": "e3", "openid": good + "x"},
        {**event, "event_id": "e4", "share_from_openid": "not-an-openid"},
        {**event, "event_id": "e5", "share_from_openid": ""},
        {**event, "event_id": "e6", "share_from_openid": good},
    ]
    land(tmp_path, "mp", "event", "e.jsonl", jsonl(events))
    load(con, tmp_path, "mp", "event")
    assert reasons(con, "mp", "event") == [(2, "malformed_id"), (3, "malformed_id"), (4, "malformed_id")]
    loaded = con.execute("select event_id from raw.mp__event order by 1").fetchall()
    assert loaded == [("e1",), ("e5",), ("e6",)]
    contacts = [contact_event(1), contact_event(2, ExternalUserID="xxAAQ8kvAC5tjK58r3xW"),
                contact_event(3, ExternalUserID="wo" + "A" * 30)]
    land(tmp_path, "wecom", "contact_event", "c.jsonl", jsonl(contacts))
    load(con, tmp_path, "wecom", "contact_event")
    assert reasons(con, "wecom", "contact_event") == [(2, "malformed_id")]


def _contact(external_userid, contact_type, userid="guide01"):
    return {
        "external_contact": {"external_userid": external_userid, "name": "", "type": contact_type},
        "follow_info": {"userid": userid, "remark": "", "description": "", "createtime": T0,
                        "tag_id": [], "add_way": 1},
    }


def test_an_id_of_another_format_than_its_type_names_is_quarantined(tmp_path, con):
    """WeCom's external_userid is `wm…` for a WeChat user (type 1) and `wo…` for another company's
    WeCom user (type 2); a test account's id_value has the format its id_type names. A row whose id
    contradicts its type is quarantined where it is read (no GX rule is left on either table, so one
    such row stops no night); an id that is a phone is personal data, kept only as its keyed hash."""
    wm, wo = "wmIDQ8kvAC5tjK58r3xW_DOoqV6a57Lf", "woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA"
    contacts = [_contact(wm, 1, f"g{i}") for i in range(8)] + [
        _contact(wo, 2),
        _contact(wo, 1),  # a WeChat user with a WeCom user's id
        _contact(wm, 2),  # and the other way round
        _contact("13912345678", 2),  # a phone where the id belongs
    ]
    land(tmp_path, "wecom", "external_contact", "c.jsonl", jsonl(contacts))
    load(con, tmp_path, "wecom", "external_contact")
    assert reasons(con, "wecom", "external_contact") == [
        (10, "malformed_id"),
        (11, "malformed_id"),
        (12, "personal_data_in_id"),
    ]
    loaded = "select contact_type, count(*) from raw.wecom__external_contact group by 1 order by 1"
    assert con.execute(loaded).fetchall() == [(1, 8), (2, 1)]
    good = openid("oTest")
    listed = [["openid", good, ""], ["external_userid", wm, ""], ["unionid", "short", ""],
              ["openid", "o1", ""], ["external_userid", good, ""], ["openid", "13912345678", ""],
              ["openid", good[:-1] + "*", ""]]
    land(tmp_path, "org", "test_account", "t.csv", csv_text(["id_type", "id_value", "note"], listed))
    load(con, tmp_path, "org", "test_account")
    assert reasons(con, "org", "test_account") == [
        (4, "malformed_id"),
        (5, "malformed_id"),
        (6, "personal_data_in_id"),
        (7, "malformed_id"),
    ]
    kept = con.execute("select id_type, id_value from raw.org__test_account order by 1").fetchall()
    assert kept == [("external_userid", wm), ("openid", good), ("unionid", "short")]
    stored = " ".join(map(str, con.execute("select * from raw._quarantine").fetchall()))
    assert "13912345678" not in stored
