"""What platforms really send: empty free text, nested lines with keys the contract does not read,
booleans as strings, empty ids in nested lists, and the same record in other bytes.

Expected values are worked out by hand from the payloads below (shaped as docs/sources.md says).
"""

import json

from test_loader_support import T0, jsonl, land, load, reasons, rows

CONTACT = {
    "external_contact": {"external_userid": "wmA", "name": "", "type": 1, "gender": 0},
    "follow_info": {
        "userid": "u1",
        "remark": "",
        "description": "",
        "createtime": T0,
        "tag_id": [],
        "remark_mobiles": [],
        "add_way": 1,
        "oper_userid": "u1",
    },
}


def test_empty_or_absent_free_text_never_quarantines(tmp_path, con):
    """WeCom returns "" for a remark or description nobody wrote: the friendship loads."""
    absent = json.loads(json.dumps(CONTACT))
    del (
        absent["follow_info"]["remark"],
        absent["follow_info"]["description"],
        absent["external_contact"]["name"],
    )
    absent["external_contact"]["external_userid"] = "wmB"
    land(tmp_path, "wecom", "external_contact", "c.jsonl", jsonl([CONTACT, absent]))
    result = load(con, tmp_path, "wecom", "external_contact")
    assert (result.rows_loaded, result.quarantined) == (2, 0)
    # an identifier is still required: an empty external_userid is missing
    blank_id = json.loads(json.dumps(CONTACT))
    blank_id["external_contact"]["external_userid"] = ""
    land(tmp_path, "wecom", "external_contact", "c.jsonl", jsonl([blank_id]))
    load(con, tmp_path, "wecom", "external_contact")
    assert reasons(con, "wecom", "external_contact") == [(1, "missing_required_field")]


def douyin_order(lines: list[dict]) -> dict:
    return {
        "order_id": "P1",
        "order_status": 105,
        "create_time": T0,
        "pay_time": T0,
        "update_time": T0,
        "pay_amount": 1990,
        "doudian_open_id": "d1",
        "sku_order_list": lines,
    }


def test_a_line_without_its_id_is_quarantined_naming_the_nested_key(tmp_path, con):
    good = {
        "order_id": "L1",
        "parent_order_id": "P1",
        "code": "",
        "product_name": "p",
        "item_num": "1",
        "pay_amount": 1990,
        "room_id": 0,
    }
    no_id = {k: v for k, v in good.items() if k != "order_id"}
    land(
        tmp_path,
        "douyin",
        "order",
        "o.jsonl",
        jsonl([douyin_order([good]), {**douyin_order([good, no_id]), "order_id": "P2"}]),
    )
    load(con, tmp_path, "douyin", "order")
    detail = con.execute("select reason, detail from raw._quarantine").fetchall()
    assert detail == [("missing_required_field", "sku_order_list[].order_id: missing_required_field")]
    (lines,) = con.execute("select sku_order_list from raw.douyin__order").fetchone()
    # only declared keys, in canonical form: the empty SKU code is null, the quantity an integer,
    # room 0 kept as the id "0" (staging reads it as "not a live order")
    assert json.loads(lines) == [
        {
            "order_id": "L1",
            "parent_order_id": "P1",
            "product_name": "p",
            "item_num": 1,
            "pay_amount": 1990,
            "room_id": "0",
        }
    ]


YOUZAN = {
    "full_order_info": {
        "order_info": {
            "tid": "E1",
            "status": "TRADE_SUCCESS",
            "created": "2024-05-01 10:00:00",
            "update_time": "2024-05-01 10:05:00",
            "pay_time": "2024-05-01 10:01:00",
            "refund_state": 0,
            "order_tags": {"is_offline_order": "false"},
            "order_extra": {"cashier_id": ""},
        },
        "buyer_info": {
            "yz_open_id": "yz1",
            "buyer_phone": "$Zm9vYmFyYmF6cXV4MTIzNDU2$1$",
            "outer_user_id": "",
        },
        "pay_info": {"payment": "19.90", "post_fee": "0.00"},
        "orders": [
            {
                "oid": "o1",
                "outer_sku_id": "SKU1",
                "title": "体验装",
                "num": 1,
                "payment": "19.9",
                "is_present": "true",
                "buyer_messages": [{"title": "身份证", "content": "110101199003074512"}],
            }
        ],
        "address_info": {
            "receiver_name": "张三",
            "receiver_tel": "13912345678",
            "delivery_address": "北京市朝阳区建国路1号",
        },
        "remark_info": {"buyer_message": "请联系13912345678"},
    }
}


def test_youzan_trade_as_the_api_returns_it(tmp_path, con):
    land(tmp_path, "youzan", "trade", "t.jsonl", jsonl([YOUZAN]))
    result = load(con, tmp_path, "youzan", "trade")
    assert (result.rows_loaded, result.quarantined) == (1, 0)
    (row,) = rows(con, "select * from raw.youzan__trade")
    assert (row["tid"], row["status"], str(row["payment"]), row["is_offline_order"]) == (
        "E1",
        "TRADE_SUCCESS",
        "19.90",
        False,
    )
    assert row["buyer_phone_kind"] == "encrypted" and row["buyer_phone_hash"] is None
    assert row["outer_user_id"] is None and row["cashier_id"] is None  # "" ids are missing
    assert json.loads(row["orders"]) == [
        {
            "oid": "o1",
            "outer_sku_id": "SKU1",
            "title": "体验装",
            "num": 1,
            "payment": "19.90",
            "is_present": True,
        }
    ]


def test_personal_data_in_unread_keys_is_stored_nowhere(tmp_path, con):
    """The raw layer keeps what the contract reads: the buyer messages' ID-card number, the
    receiver's phone and address are in no column of any table."""
    land(tmp_path, "youzan", "trade", "t.jsonl", jsonl([YOUZAN]))
    load(con, tmp_path, "youzan", "trade")
    planted = ("110101199003074512", "13912345678", "建国路", "张三")
    for schema, table, column in con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type in ('VARCHAR', 'JSON') or data_type like '%[]'"
    ).fetchall():
        text = con.execute(
            f'select string_agg("{column}"::varchar, \' \') from {schema}."{table}"'
        ).fetchone()[0]
        assert not any(p in (text or "") for p in planted), f"{schema}.{table}.{column} keeps personal data"


def test_group_member_with_an_empty_unionid_stores_none(tmp_path, con):
    chat = {
        "group_chat": {
            "chat_id": "c1",
            "name": "",
            "owner": "u1",
            "create_time": T0,
            "notice": "",
            "member_list": [
                {
                    "userid": "wmA",
                    "type": 2,
                    "unionid": "",
                    "join_time": T0,
                    "join_scene": 3,
                    "invitor": {"userid": "u1"},
                    "group_nickname": "阿花",
                    "name": "花",
                },
                {"userid": "u1", "type": "1", "join_time": T0, "join_scene": 1},
            ],
        }
    }
    land(tmp_path, "wecom", "group_chat", "c1.json", json.dumps(chat, ensure_ascii=False))
    assert load(con, tmp_path, "wecom", "group_chat").rows_loaded == 1
    (members,) = con.execute("select member_list from raw.wecom__group_chat").fetchone()
    assert json.loads(members) == [
        {"userid": "wmA", "type": 2, "join_time": T0, "join_scene": 3, "invitor": {"userid": "u1"}},
        {"userid": "u1", "type": 1, "join_time": T0, "join_scene": 1},
    ]


def test_the_same_record_in_other_bytes_is_a_duplicate(tmp_path, con):
    """A re-pull: keys in another order, Chinese as \\u escapes, a key the platform added."""
    again = {"full_order_info": {**dict(reversed(list(YOUZAN["full_order_info"].items()))), "new_key": 1}}
    land(tmp_path, "youzan", "trade", "a.jsonl", jsonl([YOUZAN]))
    land(tmp_path, "youzan", "trade", "b.jsonl", json.dumps(again, ensure_ascii=True) + "\r\n")
    result = load(con, tmp_path, "youzan", "trade")
    assert (result.rows_loaded, result.duplicates, result.quarantined) == (1, 1, 0)
    assert {f.file.rsplit("/", 1)[1]: f.duplicates for f in result.files} == {"a.jsonl": 0, "b.jsonl": 1}
    # another amount under the same version is no duplicate: both stay, staging keeps the later file
    changed = json.loads(json.dumps(YOUZAN))
    changed["full_order_info"]["pay_info"]["payment"] = "29.90"
    land(tmp_path, "youzan", "trade", "b.jsonl", jsonl([changed]))
    assert load(con, tmp_path, "youzan", "trade").rows_loaded == 2


def test_a_wecom_switch_record_loads(tmp_path, con):
    switch = {"msgid": "m1_switch", "action": "switch", "time": 1714528800123, "user": "u1"}
    message = {
        "msgid": "m2",
        "action": "send",
        "from": "u1",
        "tolist": ["wmA"],
        "roomid": "",
        "msgtime": 1714528800456,
        "msgtype": "text",
    }
    land(
        tmp_path,
        "wecom",
        "message",
        "m.jsonl",
        jsonl([switch, message, {**message, "msgid": "m3", "msgtype": ""}]),
    )
    load(con, tmp_path, "wecom", "message")
    assert reasons(con, "wecom", "message") == [(3, "missing_required_field")]
    assert con.execute("select msgid, switch_user from raw.wecom__message order by 1").fetchall() == [
        ("m1_switch", "u1"),
        ("m2", None),
    ]


def test_a_line_listed_twice_is_quarantined(tmp_path, con):
    """Staging keeps one row per line id: an order naming a line twice is a bad record, caught where
    it is read, not a dbt test stopping every source's night."""
    line = {"order_id": "L1", "product_name": "p", "item_num": 1, "pay_amount": 990}
    land(tmp_path, "douyin", "order", "o.jsonl", jsonl([douyin_order([line, {**line, "pay_amount": 1000}])]))
    load(con, tmp_path, "douyin", "order")
    assert con.execute("select reason, detail from raw._quarantine").fetchall() == [
        ("duplicate_nested_key", "sku_order_list[].order_id: duplicate_nested_key")
    ]


def test_lines_that_are_not_a_list_are_quarantined(tmp_path, con):
    land(
        tmp_path,
        "douyin",
        "order",
        "o.jsonl",
        jsonl([douyin_order({"order_id": "L1", "product_name": "p", "item_num": 1, "pay_amount": 990})]),
    )
    load(con, tmp_path, "douyin", "order")
    assert con.execute("select reason, detail from raw._quarantine").fetchall() == [
        ("unparseable_value", "sku_order_list: unparseable_value")
    ]
