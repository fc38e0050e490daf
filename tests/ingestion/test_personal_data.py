"""Personal data where no contract field expects it is masked (free text) or hashed (identifiers).

Planted as issue 12 found them: a group name and a product title holding a phone, a note holding an
ID-card number, a POS member card number that is the member's mobile, a Tmall nick that is a mobile,
a page path whose query string carries form values.
"""

import json

from test_loader_support import POS_RECEIPT as RECEIPT
from test_loader_support import SALT, T0, csv_text, jsonl, land, load

from ingestion.normalise.phones import hash_phone

PHONE, ID_CARD = "13912345678", "110101199003074512"


def _all_text(con) -> str:
    parts = []
    for schema, table, column in con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type in ('VARCHAR', 'JSON') or data_type like '%[]'"
    ).fetchall():
        parts.append(
            con.execute(f'select string_agg("{column}"::varchar, \' \') from {schema}."{table}"').fetchone()[
                0
            ]
            or ""
        )
    return " ".join(parts)


def test_free_text_is_masked_and_identifiers_hashed(tmp_path, con):
    chat = {
        "group_chat": {
            "chat_id": "c1",
            "name": f"福利群 联系{PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}",
            "owner": "u1",
            "create_time": T0,
            "member_list": [],
        }
    }
    land(tmp_path, "wecom", "group_chat", "c1.json", json.dumps(chat, ensure_ascii=False))
    land(
        tmp_path,
        "pos",
        "receipt",
        "r.csv",
        csv_text(RECEIPT, [["S1", "R1", "2024-05-01 10:00:00", PHONE, "", "10.00", "0", "C1", "", "0"]]),
    )
    land(
        tmp_path,
        "org",
        "test_account",
        "t.csv",
        csv_text(["id_type", "id_value", "note"], [["unionid", "u-test", f"身份证 {ID_CARD} 的测试号"]]),
    )
    event = {
        "event_id": "e1",
        "openid": "o" * 28,
        "event": "page_view",
        "scene": "1001",
        "ts": T0 * 1000,
        "page_path": f"pages/form/index?mobile={PHONE}&name=%E5%BC%A0&addr=x#top",
    }
    land(tmp_path, "mp", "event", "e.jsonl", jsonl([event]))
    for source, entity in (
        ("wecom", "group_chat"),
        ("pos", "receipt"),
        ("org", "test_account"),
        ("mp", "event"),
    ):
        result = load(con, tmp_path, source, entity)
        assert (result.rows_loaded, result.quarantined) == (1, 0), (source, entity)
    text = _all_text(con)
    assert PHONE not in text and ID_CARD not in text and "139-1234" not in text
    assert con.execute("select group_name from raw.wecom__group_chat").fetchone() == ("福利群 联系[phone]",)
    assert con.execute("select note from raw.org__test_account").fetchone() == ("身份证 [id_card] 的测试号",)
    assert con.execute("select page_path from raw.mp__event").fetchone() == ("pages/form/index",)
    # the card number is still one value everywhere: the keyed hash a phone field would store
    assert con.execute("select card_no from raw.pos__receipt").fetchone() == (
        hash_phone("+86" + PHONE, SALT),
    )


def test_order_numbers_and_ordinary_ids_are_left_alone(tmp_path, con):
    land(
        tmp_path,
        "pos",
        "receipt",
        "r.csv",
        csv_text(
            RECEIPT,
            [["S1", "13812345678901", "2024-05-01 10:00:00", "VIP0001", "", "10.00", "0", "C1", "", "0"]],
        ),
    )
    load(con, tmp_path, "pos", "receipt")
    assert con.execute("select receipt_no, card_no from raw.pos__receipt").fetchone() == (
        "13812345678901",
        "VIP0001",
    )


def test_a_zip_bomb_workbook_is_refused_within_seconds(tmp_path, con):
    """A quarter MB of zip whose shared strings expand to 256 MB (1,000x): refused before openpyxl
    expands anything."""
    import time
    import zipfile

    import pytest

    from ingestion.read.readers import LandingFileError

    path = tmp_path / "pos" / "member" / "2024-05-01" / "bomb.xlsx"
    path.parent.mkdir(parents=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            block = b"0" * (1 << 20)
            for _ in range(256):
                f.write(block)
    started = time.monotonic()
    with pytest.raises(LandingFileError, match="expands to"):
        load(con, tmp_path, "pos", "member")
    assert time.monotonic() - started < 10


def test_a_huge_json_record_is_quarantined_with_its_reason(tmp_path, con):
    from ingestion.read.json_reader import MAX_RECORD_BYTES

    big = {"msgid": "m1", "action": "send", "from": "u1", "tolist": ["x" * MAX_RECORD_BYTES], "msgtime": 1}
    land(tmp_path, "wecom", "message", "m.jsonl", jsonl([big]))
    load(con, tmp_path, "wecom", "message")
    reason, record = con.execute("select reason, record from raw._quarantine").fetchone()
    assert reason == "record_too_large" and record is None


def test_no_digits_of_a_phone_beside_its_hash(tmp_path, con):
    """A warehouse built when last-4 digits were kept loses them on its next load."""
    con.execute("alter table raw.pos__member add column phone_last4 varchar")
    member = ["会员卡号", "手机号", "姓名", "生日", "注册门店", "注册时间", "专属导购"]
    land(
        tmp_path,
        "pos",
        "member",
        "m.csv",
        csv_text(member, [["V1", PHONE, "王", "", "S1", "2024-05-01 10:00:00", ""]]),
    )
    load(con, tmp_path, "pos", "member")
    columns = [c for (c,) in con.execute("select column_name from information_schema.columns").fetchall()]
    assert not [c for c in columns if "last4" in c]
    assert PHONE[-4:] not in _all_text(con).replace(hash_phone("+86" + PHONE, SALT), "")


def test_a_phone_where_an_openid_belongs_is_quarantined_and_not_kept(tmp_path, con):
    good = {"event_id": "e1", "openid": "o" * 28, "event": "page_view", "scene": "1001", "ts": T0 * 1000}
    typed = {**good, "event_id": "e2", "openid": f"{PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}"}
    land(tmp_path, "mp", "event", "e.jsonl", jsonl([good, typed]))
    result = load(con, tmp_path, "mp", "event")
    assert (result.rows_loaded, result.quarantined) == (1, 1)
    assert con.execute("select reason from raw._quarantine").fetchall() == [("personal_data_in_id",)]
    assert PHONE[3:] not in _all_text(con).replace(" ", "")


def test_a_code_or_a_listed_id_that_is_a_phone_is_hashed_alike_everywhere(tmp_path, con):
    contact = {
        "external_contact": {"external_userid": "wm" + "a" * 30, "name": "", "type": 1},
        "follow_info": {"userid": "g1", "remark": "", "description": "", "createtime": T0, "add_way": 1,
                        "state": PHONE},
    }
    land(tmp_path, "wecom", "external_contact", "c.jsonl", jsonl([contact]))
    codes = [["code", "channel", "campaign_id", "campaign_name"], [PHONE, "guide_card", "C1", "导购名片"]]
    land(tmp_path, "org", "channel_code", "c.csv", csv_text(*[codes[0]], [codes[1]]))
    listed = [["id_type", "id_value", "note"], ["unionid", PHONE, ""]]
    land(tmp_path, "org", "test_account", "t.csv", csv_text(listed[0], [listed[1]]))
    for source, entity in (("wecom", "external_contact"), ("org", "channel_code"), ("org", "test_account")):
        assert load(con, tmp_path, source, entity).rows_loaded == 1, (source, entity)
    hashed = hash_phone("+86" + PHONE, SALT)
    assert con.execute("select state from raw.wecom__external_contact").fetchone() == (hashed,)
    assert con.execute("select code from raw.org__channel_code").fetchone() == (hashed,)
    assert con.execute("select id_value from raw.org__test_account").fetchone() == (hashed,)
    assert PHONE not in _all_text(con)
