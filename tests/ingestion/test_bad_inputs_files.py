"""The bad-input catalogue, part 2: empty and huge files, unknown folders, JSON envelopes."""

import json
from datetime import date

from test_loader_support import T0, contact_event, csv_text, header, jsonl, land, load, rows

from ingestion.landing.layout import discover
from ingestion.load.loader import record_unknown_files

TRADE = header("tmall", "trade")
RECEIPT = header("pos", "receipt")


def test_empty_files(tmp_path, con):
    land(tmp_path, "wecom", "contact_event", "a.jsonl", b"")
    land(tmp_path, "tmall", "trade", "a.csv", b"")
    land(tmp_path, "tmall", "trade", "header_only.csv", ",".join(TRADE) + "\n")
    assert load(con, tmp_path, "wecom", "contact_event").rows_offered == 0
    r = load(con, tmp_path, "tmall", "trade")
    assert (r.rows_offered, len(r.files)) == (0, 2)


def test_a_10_mb_field_in_jsonl_and_csv(tmp_path, con):
    big = "长" * ((10 << 20) // 3) + "x" * 10  # 10 MiB of UTF-8
    land(
        tmp_path,
        "wecom",
        "message",
        "m.jsonl",
        jsonl(
            [
                {
                    "msgid": "m1",
                    "action": "send",
                    "from": "u1",
                    "tolist": ["u2"],
                    "msgtime": T0 * 1000,
                    "msgtype": big,
                },
                {
                    "msgid": "m2",
                    "action": "send",
                    "from": "u1",
                    "tolist": ["u2"],
                    "msgtime": T0 * 1000,
                    "msgtype": "text",
                },
            ]
        ),
    )
    land(
        tmp_path,
        "org",
        "channel_code",
        "c.csv",
        csv_text(
            ["code", "channel", "campaign_id", "campaign_name", "description"],
            [["c1", "live", "k1", "n", big], ["c2", "live", "k2", "n", "d"]],
        ),
    )
    assert load(con, tmp_path, "wecom", "message", batch_rows=1).rows_loaded == 2
    assert load(con, tmp_path, "org", "channel_code").rows_loaded == 2
    assert con.execute("select max(length(msgtype)) from raw.wecom__message").fetchone()[0] == len(big)
    assert con.execute("select max(length(description)) from raw.org__channel_code").fetchone()[0] == len(big)


def test_files_in_unknown_folders_are_quarantined_once_each(tmp_path, con):
    land(tmp_path, "wecom", "contact_event", "a.jsonl", jsonl([contact_event(1)]))
    land(tmp_path, "weibo", "post", "p.jsonl", "{}\n")
    land(tmp_path, "wecom", "moments", "m.jsonl", "{}\n")
    (tmp_path / "wecom" / "contact_event" / "2024-13-01").mkdir()
    (tmp_path / "wecom" / "contact_event" / "2024-13-01" / "x.jsonl").write_text("{}\n")
    (tmp_path / "wecom" / "contact_event" / "stray.jsonl").write_text("{}\n")
    (tmp_path / "_truth").mkdir()
    (tmp_path / "_truth" / "defects.csv").write_text("ignored\n")
    landing = discover(tmp_path)
    assert landing.partitions == {("wecom", "contact_event"): [date(2024, 5, 1)]}
    assert sorted(landing.unknown_folders) == ["wecom/moments", "weibo/post"]
    assert landing.bad_date_folders == ["wecom/contact_event/2024-13-01"]
    assert record_unknown_files(con, landing) == 4
    assert record_unknown_files(con, landing) == 4  # idempotent
    got = rows(con, "select file, reason, business_date from raw._quarantine order by file")
    assert [(g["file"], g["reason"]) for g in got] == [
        ("wecom/contact_event/2024-13-01/x.jsonl", "bad_folder_date"),
        ("wecom/contact_event/stray.jsonl", "bad_folder_date"),
        ("wecom/moments/2024-05-01/m.jsonl", "unknown_folder"),
        ("weibo/post/2024-05-01/p.jsonl", "unknown_folder"),
    ]
    load(con, tmp_path, "wecom", "contact_event")  # loading a day keeps the folder records
    assert con.execute("select count(*) from raw._quarantine").fetchone()[0] == 4


def test_files_the_operating_system_leaves_in_a_folder_are_not_landing_data(tmp_path, con):
    """A folder looked at in Finder or Explorer, or with a workbook open in Excel, gains files nobody
    delivered: they are skipped, neither loaded nor quarantined."""
    order = ["1", "b", "1", "1", "交易成功", "2024-05-01 10:00:00", "2024-05-01 10:00:05", "", "0", "t", "1"]
    land(tmp_path, "tmall", "trade", "orders.csv", csv_text(TRADE, [order]))
    day = tmp_path / "tmall" / "trade" / "2024-05-01"
    for name in (".DS_Store", "Thumbs.db", "THUMBS.DB", "ehthumbs.db", "desktop.ini", "Desktop.ini",
                 "~$orders.xlsx"):
        (day / name).write_bytes(b"\x00\x01 not an export")
    (tmp_path / "tmall" / "desktop.ini").write_text("[.ShellClassInfo]\r\n")
    landing = discover(tmp_path)
    assert landing.partitions == {("tmall", "trade"): [date(2024, 5, 1)]} and not landing.stray_files
    assert record_unknown_files(con, landing) == 0
    result = load(con, tmp_path, "tmall", "trade")
    assert [f.file.rsplit("/", 1)[-1] for f in result.files] == ["orders.csv"]
    assert (result.rows_loaded, result.quarantined) == (1, 0)


def test_group_chat_envelope_and_only_declared_member_keys(tmp_path, con):
    chat = {
        "chat_id": "wrOg1",
        "name": "福利群",
        "owner": "guide01",
        "create_time": T0,
        "notice": "张三 13812345678",
        "member_list": [
            {
                "userid": "wmA",
                "type": 2,
                "unionid": "uA",
                "join_time": T0,
                "join_scene": 3,
                "invitor": {"userid": "guide01", "name": "导购"},
                "group_nickname": "阿三",
                "name": "张三",
            }
        ],
    }
    land(
        tmp_path,
        "wecom",
        "group_chat",
        "wrOg1.json",
        json.dumps({"errcode": 0, "group_chat": chat}, ensure_ascii=False, indent=2),
    )
    land(
        tmp_path,
        "wecom",
        "group_chat",
        "more.jsonl",
        jsonl([{"group_chat": {**chat, "chat_id": "wrOg2"}}, {**chat, "chat_id": "wrOg3"}]),
    )
    r = load(con, tmp_path, "wecom", "group_chat")
    assert (r.rows_loaded, r.quarantined, r.extra_columns) == (3, 0, [])
    members = json.loads(
        con.execute("select member_list from raw.wecom__group_chat where chat_id = 'wrOg1'").fetchone()[0]
    )
    assert members == [
        {
            "userid": "wmA",
            "type": 2,
            "unionid": "uA",
            "join_time": T0,
            "join_scene": 3,
            "invitor": {"userid": "guide01"},
        }
    ]
    assert "notice" not in {
        r["column_name"]
        for r in rows(
            con, "select column_name from information_schema.columns where table_name = 'wecom__group_chat'"
        )
    }
