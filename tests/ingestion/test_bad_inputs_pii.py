"""The bad-input catalogue, part 5: personal data: birthdays as MM-DD, names never stored, and no
raw phone digits anywhere in the warehouse, quarantine included."""

import json

from test_loader_support import (
    SALT,
    T0,
    csv_text,
    jsonl,
    land,
    load,
    quarantined,
    reasons,
    rows,
)

from ingestion.normalise.phones import hash_phone


def test_month_day_birthdays_and_dropped_names(tmp_path, con):
    birthdays = ["1990-05-17", "1990/5/17", "05-17", "19900517", "", "1991-02-29", "明天"]
    land(
        tmp_path,
        "pos",
        "member",
        "m.csv",
        csv_text(
            ["会员卡号", "手机号", "姓名", "生日", "注册门店", "注册时间", "专属导购"],
            [
                [f"V{i}", "13912345678", "王小明", b, "S1", "2024-05-01 10:00:00", ""]
                for i, b in enumerate(birthdays)
            ],
        ),
    )
    load(con, tmp_path, "pos", "member")
    got = con.execute("select card_no, birthday from raw.pos__member order by card_no").fetchall()
    assert got == [("V0", "05-17"), ("V1", "05-17"), ("V2", "05-17"), ("V3", "05-17"), ("V4", None)]
    q = quarantined(con, "pos", "member")
    assert [(x["row_number"], x["reason"], x["detail"]) for x in q] == [
        (6, "unparseable_value", "生日: unparseable_value"),
        (7, "unparseable_value", "生日: unparseable_value"),
    ]
    assert "name" not in json.loads(q[0]["record"]) and "王小明" not in q[0]["record"]


def test_no_raw_phone_digits_anywhere(tmp_path, con):
    phones = ["13712345678", "+86 137 8765 4321", "13700001111"]
    land(
        tmp_path,
        "mp",
        "user",
        "u.jsonl",
        jsonl(
            [
                {"openid": "o1", "phone_number": phones[0], "created_at": T0 * 1000},
                {"openid": "o2", "phone_number": phones[1], "created_at": "soon"},
            ]
        ),
    )
    land(
        tmp_path,
        "org",
        "test_account",
        "t.csv",
        csv_text(
            ["id_type", "id_value", "note"],
            [["phone", phones[2], "QA"], ["phone", "137****1111", "QA"], ["unionid", "uX", ""]],
        ),
    )
    land(
        tmp_path,
        "wecom",
        "external_contact",
        "c.jsonl",
        jsonl(
            [
                {
                    "external_contact": {"external_userid": "wmA", "name": "张三", "type": 1},
                    "follow_info": {
                        "userid": "g1",
                        "remark": "张三 13712345678",
                        "description": "",
                        "createtime": "x",
                        "remark_mobiles": [phones[0], "137 8765 4321"],
                        "add_way": 1,
                    },
                }
            ]
        ),
    )
    for source, entity in (("mp", "user"), ("org", "test_account"), ("wecom", "external_contact")):
        load(con, tmp_path, source, entity)
    assert con.execute("select id_value from raw.org__test_account where id_type = 'phone'").fetchall() == [
        (hash_phone("+8613700001111", SALT),)
    ]
    assert reasons(con, "org", "test_account") == [(2, "unparseable_value")]
    texts = []
    for t in rows(
        con,
        "select table_name, column_name from information_schema.columns where table_schema = 'raw' "
        "and (data_type like 'VARCHAR%' or data_type = 'JSON')",
    ):
        texts += [
            str(v)
            for (v,) in con.execute(f'select "{t["column_name"]}" from raw."{t["table_name"]}"').fetchall()
        ]
    blob = "\n".join(texts).replace(" ", "")
    assert len(texts) > 20 and "张三" not in blob
    for digits in ("13712345678", "13787654321", "13700001111", "8765"):
        assert digits not in blob
