"""The bad-input catalogue, part 1: encodings, file formats and shapes, folders, and phones."""

import json
from datetime import date

from openpyxl import Workbook
from test_loader_support import SALT, T0, con, contact_event, csv_text, jsonl, land, load, quarantined, rows  # noqa: F401

from ingestion.landing import discover
from ingestion.loader import record_unknown_files
from ingestion.phones import hash_phone

TRADE = ["订单编号", "买家会员名", "买家应付货款", "买家实际支付金额", "订单状态", "订单创建时间", "订单付款时间",
         "收货人手机号", "退款金额", "宝贝标题", "宝贝总数量"]
RECEIPT = ["门店编码", "小票号", "交易时间", "会员卡号", "手机号", "金额", "折扣", "收款员代码", "原单流水号", "补刷卡标记"]


def test_gbk_tmall_export_with_excel_text_ids_and_yuan(tmp_path, con):
    text = csv_text(TRADE, [
        ['="2024050112345"', "张三", "12.50元", '"1,012.50元"', '"买家已付款,等待卖家发货"', "2024-05-01 10:00:00",
         "2024/05/01 10:05", "138****5678", " 0 ", "连衣裙", "1"],
        ["2024050112346", "李四", "9.9", "9.90", "等待买家付款", "2024-05-01 11:00:00", "", "", "0.00", "T恤", "2"],
    ])
    land(tmp_path, "tmall", "trade", "ExportOrderList.csv", text, encoding="gbk")
    r = load(con, tmp_path, "tmall", "trade")
    assert (r.rows_loaded, r.quarantined) == (2, 0) and r.files[0].encoding == "gb18030"
    got = rows(con, "select order_no, buyer_nick, payable_amount::varchar p, paid_amount::varchar a, order_status, "
                    "created_at::varchar c, paid_at::varchar pa, receiver_phone_kind k, receiver_phone_last4 l4, "
                    "refund_amount::varchar rf from raw.tmall__trade order by order_no")
    assert got[0] == {"order_no": "2024050112345", "buyer_nick": "张三", "p": "12.50", "a": "1012.50",
                      "order_status": "买家已付款,等待卖家发货", "c": got[0]["c"], "pa": got[0]["pa"],
                      "k": "masked", "l4": "5678", "rf": "0.00"}
    assert con.execute("select epoch(created_at), epoch(paid_at) from raw.tmall__trade order by order_no").fetchone() == (
        T0, T0 + 300)
    assert got[1]["pa"] is None and got[1]["k"] == "empty"


def test_utf8_bom_file(tmp_path, con):
    land(tmp_path, "org", "store", "store.csv", b"\xef\xbb\xbf" + csv_text(
        ["store_code", "store_name", "city", "region", "open_date"], [["S001", "南京西路店", "上海", "华东", "2019/3/8"]]
    ).encode())
    r = load(con, tmp_path, "org", "store")
    assert r.rows_loaded == 1 and r.files[0].encoding == "utf-8-sig"
    assert con.execute("select store_code, open_date::varchar from raw.org__store").fetchone() == ("S001", "2019-03-08")


def test_xlsx_pos_receipts(tmp_path, con):
    wb = Workbook()
    wb.active.append(RECEIPT)
    wb.active.append(["S001", "R1", "2024-05-01 10:00:00", "VIP1", 13812345678, 99.5, 0, "C01", None, 0])
    wb.active.append(["S001", "R2", "2024-05-01 11:00:00", None, None, -99.5, 0, "C01", "R1", 1])
    path = tmp_path / "pos" / "receipt" / "2024-05-01" / "receipts.xlsx"
    path.parent.mkdir(parents=True)
    wb.save(path)
    r = load(con, tmp_path, "pos", "receipt")
    assert r.rows_loaded == 2 and r.files[0].encoding == "xlsx"
    got = con.execute("select receipt_no, amount::varchar, phone_hash, is_late_swipe, epoch(traded_at) "
                      "from raw.pos__receipt order by receipt_no").fetchall()
    assert got == [("R1", "99.50", hash_phone("+8613812345678", SALT), False, T0),
                   ("R2", "-99.50", None, True, T0 + 3600)]


def test_masked_encrypted_and_differently_written_phones(tmp_path, con):
    land(tmp_path, "pos", "member", "m.csv", csv_text(
        ["会员卡号", "手机号", "姓名", "生日", "注册门店", "注册时间", "专属导购"],
        [["V1", "13812345678", "王一", "", "S1", "2024-05-01 10:00:00", ""],
         ["V2", "+86 138 1234 5678", "王二", "", "S1", "2024-05-01 10:00:00", ""],
         ["V3", "86-13812345678", "王三", "", "S1", "2024-05-01 10:00:00", ""],
         ["V4", "138****5678", "王四", "", "S1", "2024-05-01 10:00:00", ""],
         ["V5", "$Ma8eMM7zwRiUVg3asz4KQ$", "王五", "", "S1", "2024-05-01 10:00:00", ""],
         ["V6", "13800138000", "王六", "", "S1", "2024-05-01 10:00:00", ""]]))
    load(con, tmp_path, "pos", "member")
    got = con.execute("select card_no, phone_hash, phone_kind, phone_last4 from raw.pos__member order by card_no").fetchall()
    h = hash_phone("+8613812345678", SALT)
    assert got == [("V1", h, "valid", "5678"), ("V2", h, "valid", "5678"), ("V3", h, "valid", "5678"),
                   ("V4", None, "masked", "5678"), ("V5", None, "encrypted", None),
                   ("V6", hash_phone("+8613800138000", SALT), "placeholder", "8000")]


def test_empty_files(tmp_path, con):
    land(tmp_path, "wecom", "contact_event", "a.jsonl", b"")
    land(tmp_path, "tmall", "trade", "a.csv", b"")
    land(tmp_path, "tmall", "trade", "header_only.csv", ",".join(TRADE) + "\n")
    assert load(con, tmp_path, "wecom", "contact_event").rows_offered == 0
    r = load(con, tmp_path, "tmall", "trade")
    assert (r.rows_offered, len(r.files)) == (0, 2)


def test_a_10_mb_field_in_jsonl_and_csv(tmp_path, con):
    big = "长" * ((10 << 20) // 3) + "x" * 10  # 10 MiB of UTF-8
    land(tmp_path, "wecom", "message", "m.jsonl", jsonl([
        {"msgid": "m1", "action": "send", "from": "u1", "tolist": ["u2"], "msgtime": T0 * 1000, "msgtype": big},
        {"msgid": "m2", "action": "send", "from": "u1", "tolist": ["u2"], "msgtime": T0 * 1000, "msgtype": "text"}]))
    land(tmp_path, "org", "channel_code", "c.csv", csv_text(
        ["code", "channel", "campaign_id", "campaign_name", "description"], [["c1", "live", "k1", "n", big], ["c2", "live", "k2", "n", "d"]]))
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
    assert record_unknown_files(con, landing) == 4   # idempotent
    got = rows(con, "select file, reason, business_date from raw._quarantine order by file")
    assert [(g["file"], g["reason"]) for g in got] == [
        ("wecom/contact_event/2024-13-01/x.jsonl", "bad_folder_date"),
        ("wecom/contact_event/stray.jsonl", "bad_folder_date"),
        ("wecom/moments/2024-05-01/m.jsonl", "unknown_folder"),
        ("weibo/post/2024-05-01/p.jsonl", "unknown_folder")]
    load(con, tmp_path, "wecom", "contact_event")  # loading a day keeps the folder records
    assert con.execute("select count(*) from raw._quarantine").fetchone()[0] == 4


def test_group_chat_envelope_and_drop_keys(tmp_path, con):
    chat = {"chat_id": "wrOg1", "name": "福利群", "owner": "guide01", "create_time": T0, "notice": "张三 13812345678",
            "member_list": [{"userid": "wmA", "type": 2, "unionid": "uA", "join_time": T0, "join_scene": 3,
                             "invitor": {"userid": "guide01", "name": "导购"}, "group_nickname": "阿三", "name": "张三"}]}
    land(tmp_path, "wecom", "group_chat", "wrOg1.json", json.dumps({"errcode": 0, "group_chat": chat}, ensure_ascii=False, indent=2))
    land(tmp_path, "wecom", "group_chat", "more.jsonl", jsonl([{"group_chat": {**chat, "chat_id": "wrOg2"}}, {**chat, "chat_id": "wrOg3"}]))
    r = load(con, tmp_path, "wecom", "group_chat")
    assert (r.rows_loaded, r.quarantined, r.extra_columns) == (3, 0, [])
    members = json.loads(con.execute("select member_list from raw.wecom__group_chat where chat_id = 'wrOg1'").fetchone()[0])
    assert members == [{"userid": "wmA", "type": 2, "unionid": "uA", "join_time": T0, "join_scene": 3,
                        "invitor": {"userid": "guide01"}}]
    assert "notice" not in {r["column_name"] for r in rows(con, "select column_name from information_schema.columns "
                                                              "where table_name = 'wecom__group_chat'")}
