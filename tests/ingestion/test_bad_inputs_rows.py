"""The bad-input catalogue, part 2: row-level rules from the contracts, each with its exact reason,
and no raw phone digits anywhere in the warehouse."""

import json

from test_loader_support import SALT, T0, con, contact_event, csv_text, jsonl, land, load, quarantined, rows  # noqa: F401

from ingestion.phones import hash_phone

DAY_END = 1714579200  # 2024-05-02 00:00 Beijing: the business day 2024-05-01 ends
GRACE_END = DAY_END + 86400  # FUTURE_GRACE_DAYS = 1


def reasons(con, source, entity):
    return [(q["row_number"], q["reason"]) for q in quarantined(con, source, entity)]


def test_future_and_pre_2010_times(tmp_path, con):
    land(tmp_path, "wecom", "contact_event", "a.jsonl", jsonl([
        contact_event(1, CreateTime=GRACE_END),            # the last instant still allowed
        contact_event(2, CreateTime=GRACE_END + 1),
        contact_event(3, CreateTime=1262275199),           # 2009-12-31 23:59:59 Beijing
        contact_event(4, CreateTime=str(1262275200)),      # 2010-01-01 00:00:00 Beijing, as text
        contact_event(5, CreateTime=T0 * 1000),             # milliseconds where seconds belong
        contact_event(6, CreateTime="yesterday")]))
    r = load(con, tmp_path, "wecom", "contact_event")
    assert reasons(con, "wecom", "contact_event") == [
        (2, "time_in_future"), (3, "time_before_2010"), (5, "time_in_future"), (6, "unparseable_time")]
    assert r.rows_loaded == 2
    detail = quarantined(con, "wecom", "contact_event")[3]["detail"]
    assert detail == "CreateTime: unparseable_time 'yesterday'"


def test_local_times_and_the_future_bound(tmp_path, con):
    refund = {"refund_id": "r", "tid": "t", "status": "SUCCESS", "refund_fee": "1", "modified": "2024-05-01 10:00:00"}
    land(tmp_path, "youzan", "refund", "r.jsonl", jsonl([
        {**refund, "refund_id": "r1", "created": "2024-05-02 23:59:59"},
        {**refund, "refund_id": "r2", "created": "2024-05-03 00:00:01"},
        {**refund, "refund_id": "r3", "created": "2024-02-30 10:00:00"},
        {**refund, "refund_id": "r4", "created": "2024/5/1 9:05"},
        {**refund, "refund_id": "r5", "created": "2024-05-01T10:00:00"},
        {**refund, "refund_id": "r6", "created": "2009-12-31 23:59:59"}]))
    load(con, tmp_path, "youzan", "refund")
    assert reasons(con, "youzan", "refund") == [(2, "time_in_future"), (3, "unparseable_time"), (6, "time_before_2010")]
    got = con.execute("select refund_id, epoch(created) from raw.youzan__refund order by refund_id").fetchall()
    assert got == [("r1", GRACE_END - 1), ("r4", T0 - 3300), ("r5", T0)]


def test_unknown_enum_missing_field_and_truncated_line(tmp_path, con):
    land(tmp_path, "wecom", "contact_event", "a.jsonl", jsonl([
        contact_event(1), contact_event(2, ChangeType="add_friend"), contact_event(3, UserID=None),
        contact_event(4, UserID=""), json.dumps(contact_event(5))[:40], "[1, 2]", contact_event(6)]))
    r = load(con, tmp_path, "wecom", "contact_event")
    assert reasons(con, "wecom", "contact_event") == [
        (2, "unknown_enum_value"), (3, "missing_required_field"), (4, "missing_required_field"),
        (5, "unparseable_record"), (6, "unparseable_record")]
    assert r.reasons == {"unknown_enum_value": 1, "missing_required_field": 2, "unparseable_record": 2}
    q = quarantined(con, "wecom", "contact_event")
    assert q[0]["detail"] == "ChangeType: unknown_enum_value 'add_friend'"
    assert json.loads(q[0]["record"])["change_type"] == "add_friend" and q[3]["record"] is None


def test_missing_required_columns_quarantine_the_whole_file(tmp_path, con):
    land(tmp_path, "ads", "spend", "s.csv", csv_text(
        ["date", "platform", "account_id", "campaign_name", "impressions", "clicks", "cost", "ctr"],
        [["2024-05-01", "baidu", "a1", "n", "10", "1", "1.00", "0.1"]] * 3))
    r = load(con, tmp_path, "ads", "spend")
    assert (r.rows_offered, r.rows_loaded, r.reasons) == (3, 0, {"missing_required_columns": 3})
    assert r.extra_columns == ["ctr"]
    q = quarantined(con, "ads", "spend")
    assert [x["row_number"] for x in q] == [1, 2, 3]
    assert q[0]["detail"] == "the file lacks required columns: campaign_id"


def test_amounts_values_negative_money_and_zero_is_null(tmp_path, con):
    order = {"order_id": "o", "order_status": 105, "create_time": T0, "update_time": T0, "pay_amount": 990,
             "doudian_open_id": "d1", "sku_order_list": [{"sku_order_id": "s1", "pay_amount": 990}]}
    land(tmp_path, "douyin", "order", "o.jsonl", jsonl([
        {**order, "order_id": "o1", "pay_time": 0}, {**order, "order_id": "o2", "pay_time": T0},
        {**order, "order_id": "o3", "pay_amount": -5}, {**order, "order_id": "o4", "pay_amount": "9.9"},
        {**order, "order_id": "o5", "order_status": "paid"}]))
    load(con, tmp_path, "douyin", "order")
    assert reasons(con, "douyin", "order") == [(3, "negative_amount"), (4, "unparseable_amount"), (5, "unparseable_value")]
    got = con.execute("select order_id, epoch(pay_time), pay_amount::varchar from raw.douyin__order order by 1").fetchall()
    assert got == [("o1", None, "9.90"), ("o2", T0, "9.90")]
    land(tmp_path, "pos", "receipt", "r.csv", csv_text(
        ["门店编码", "小票号", "交易时间", "会员卡号", "手机号", "金额", "折扣", "收款员代码", "原单流水号", "补刷卡标记"],
        [["S1", "R1", "2024-05-01 10:00:00", "", "", "-1.005", "0", "C1", "R0", "是"],
         ["S1", "R2", "2024-05-01 10:00:00", "", "", "abc", "0", "C1", "", "0"]]))
    load(con, tmp_path, "pos", "receipt")
    assert con.execute("select amount::varchar, is_late_swipe from raw.pos__receipt").fetchall() == [("-1.01", True)]
    assert reasons(con, "pos", "receipt") == [(2, "unparseable_amount")]


def test_required_when_non_followers_and_require_any(tmp_path, con):
    land(tmp_path, "oa", "user", "u.jsonl", jsonl([
        {"subscribe": 0, "openid": "o1", "unionid": "u1"},
        {"subscribe": 1, "openid": "o2", "subscribe_time": T0, "subscribe_scene": "ADD_SCENE_QR_CODE"},
        {"subscribe": 1, "openid": "o3"}]))
    load(con, tmp_path, "oa", "user")
    assert reasons(con, "oa", "user") == [(3, "missing_required_field")]
    inv = {"campaign_id": "c1", "step": "scan", "ts": T0}
    land(tmp_path, "fission", "invitation", "i.jsonl", jsonl([
        {**inv, "inviter_unionid": "a", "invitee_external_userid": "wmB"},
        {**inv, "inviter_external_userid": "wmA"},
        {**inv, "invitee_unionid": "b"}]))
    load(con, tmp_path, "fission", "invitation")
    assert reasons(con, "fission", "invitation") == [(2, "missing_required_field"), (3, "missing_required_field")]
    assert "none of invitee_unionid, invitee_external_userid" in quarantined(con, "fission", "invitation")[0]["detail"]


def test_month_day_birthdays_and_dropped_names(tmp_path, con):
    birthdays = ["1990-05-17", "1990/5/17", "05-17", "19900517", "", "1991-02-29", "明天"]
    land(tmp_path, "pos", "member", "m.csv", csv_text(
        ["会员卡号", "手机号", "姓名", "生日", "注册门店", "注册时间", "专属导购"],
        [[f"V{i}", "13912345678", "王小明", b, "S1", "2024-05-01 10:00:00", ""] for i, b in enumerate(birthdays)]))
    load(con, tmp_path, "pos", "member")
    got = con.execute("select card_no, birthday from raw.pos__member order by card_no").fetchall()
    assert got == [("V0", "05-17"), ("V1", "05-17"), ("V2", "05-17"), ("V3", "05-17"), ("V4", None)]
    q = quarantined(con, "pos", "member")
    assert [(x["row_number"], x["reason"], x["detail"]) for x in q] == [
        (6, "unparseable_value", "生日: unparseable_value"), (7, "unparseable_value", "生日: unparseable_value")]
    assert "name" not in json.loads(q[0]["record"]) and "王小明" not in q[0]["record"]


def test_no_raw_phone_digits_anywhere(tmp_path, con):
    phones = ["13712345678", "+86 137 8765 4321", "13700001111"]
    land(tmp_path, "mp", "user", "u.jsonl", jsonl([
        {"openid": "o1", "phone_number": phones[0], "created_at": T0 * 1000},
        {"openid": "o2", "phone_number": phones[1], "created_at": "soon"}]))
    land(tmp_path, "org", "test_account", "t.csv", csv_text(["id_type", "id_value", "note"], [
        ["phone", phones[2], "QA"], ["phone", "137****1111", "QA"], ["unionid", "uX", ""]]))
    land(tmp_path, "wecom", "external_contact", "c.jsonl", jsonl([{
        "external_contact": {"external_userid": "wmA", "name": "张三", "type": 1},
        "follow_info": {"userid": "g1", "remark": "张三 13712345678", "description": "", "createtime": "x",
                        "remark_mobiles": [phones[0], "137 8765 4321"], "add_way": 1}}]))
    for source, entity in (("mp", "user"), ("org", "test_account"), ("wecom", "external_contact")):
        load(con, tmp_path, source, entity)
    assert con.execute("select id_value from raw.org__test_account where id_type = 'phone'").fetchall() == [
        (hash_phone("+8613700001111", SALT),)]
    assert reasons(con, "org", "test_account") == [(2, "unparseable_value")]
    texts = []
    for t in rows(con, "select table_name, column_name from information_schema.columns where table_schema = 'raw' "
                       "and (data_type like 'VARCHAR%' or data_type = 'JSON')"):
        texts += [str(v) for (v,) in con.execute(f'select "{t["column_name"]}" from raw."{t["table_name"]}"').fetchall()]
    blob = "\n".join(texts).replace(" ", "")
    assert len(texts) > 20 and "张三" not in blob
    for digits in ("13712345678", "13787654321", "13700001111", "8765"):
        assert digits not in blob
