"""Each pushed event becomes the JSON line docs/sources.md specifies, and the lines load.

Expected lines: tests/fixtures/documented (the reference examples as a collector stores them, see its
README: WeCom 事件格式 /document/path/92130 and /96361, OA Receiving_event_pushes) less the OA's
`Ticket`, which the contract does not read; CLICK and VIEW from the OA's 自定义菜单的事件推送
(developers.weixin.qq.com/doc/service/guide/product/menu/Custom_Menu_Push_Events.md), written out below.
"""

import json
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from callbacks_support import OA, WECOM, call, oa_push, wecom_push, xml

from callbacks.app import build_app
from callbacks.config import platforms
from callbacks.store import Landing
from ingestion.load.loader import ensure_raw_schema, load_partition

DAY = date(2024, 5, 20)
DOCUMENTED = Path(__file__).resolve().parents[1] / "fixtures" / "documented"


def documented(source: str, entity: str) -> list[dict]:
    (path,) = (DOCUMENTED / source / entity / DAY.isoformat()).iterdir()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def app(tmp_path):
    return build_app(platforms({**WECOM, **OA}), Landing(tmp_path, today=lambda: DAY))


def written(root: Path, source: str, entity: str) -> list[dict]:
    path = Landing(root).path(source, entity, DAY)  # today's file, not published yet
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def post(app, path: str, message: bytes) -> tuple[int, str]:
    return call(app, "POST", path, *(wecom_push if path == "/wecom" else oa_push)(message))


def test_the_documented_add_event_verbatim(app, tmp_path):
    message = b"""<xml>
    <ToUserName><![CDATA[toUser]]></ToUserName>
    <FromUserName><![CDATA[sys]]></FromUserName>
    <CreateTime>1403610513</CreateTime>
    <MsgType><![CDATA[event]]></MsgType>
    <Event><![CDATA[change_external_contact]]></Event>
    <ChangeType><![CDATA[add_external_contact]]></ChangeType>
    <UserID><![CDATA[zhangsan]]></UserID>
    <ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mAAAA]]></ExternalUserID>
    <State><![CDATA[teststate]]></State>
    <WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>
</xml>"""
    assert post(app, "/wecom", message) == (200, "success")
    assert Landing(tmp_path).path("wecom", "contact_event", DAY).read_text(encoding="utf-8") == (
        '{"ToUserName": "toUser", "FromUserName": "sys", "CreateTime": 1403610513, "MsgType": "event", '
        '"Event": "change_external_contact", "ChangeType": "add_external_contact", "UserID": "zhangsan", '
        '"ExternalUserID": "woAJ2GCAAAXtWyujaWJHDDGi0mAAAA", "State": "teststate", '
        '"WelcomeCode": "WELCOMECODE"}\n')


@pytest.mark.parametrize("i", range(6))
def test_each_change_type_is_its_documented_line(app, tmp_path, i):
    # add_half_external_contact, add, edit, del_external_contact (transfer), del_follow_user, transfer_fail
    event = documented("wecom", "contact_event")[i]
    assert post(app, "/wecom", xml(event)) == (200, "success")
    assert written(tmp_path, "wecom", "contact_event") == [event]


@pytest.mark.parametrize("i", range(5))
def test_each_follow_and_scan_push_is_its_documented_line(app, tmp_path, i):
    # subscribe, subscribe by a parametric QR, SCAN, subscribe, unsubscribe
    event = documented("oa", "event")[i]
    assert post(app, "/oa", xml(event)) == (200, "success")
    assert written(tmp_path, "oa", "event") == [{k: v for k, v in event.items() if k != "Ticket"}]


def test_menu_clicks_and_views(app, tmp_path):
    base = ("<ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[FromUser]]></FromUserName>"
            "<CreateTime>123456789</CreateTime><MsgType><![CDATA[event]]></MsgType>")
    click = "<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[EVENTKEY]]></EventKey>"
    view = "<Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[www.qq.com]]></EventKey><MenuId>MENUID</MenuId>"
    for event in (click, view):
        assert post(app, "/oa", f"<xml>{base}{event}</xml>".encode()) == (200, "success")
    head = {"ToUserName": "toUser", "FromUserName": "FromUser", "CreateTime": 123456789, "MsgType": "event"}
    assert written(tmp_path, "oa", "event") == [{**head, "Event": "CLICK", "EventKey": "EVENTKEY"},
                                                {**head, "Event": "VIEW", "EventKey": "www.qq.com"}]


@pytest.mark.parametrize("path, message", [
    # WeCom's own sample: a user's text message to the app (callback/Sample.py)
    ("/wecom", "<xml><ToUserName>ww0123456789abcdef</ToUserName><FromUserName>ChenJiaShun</FromUserName>"
               "<CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content>"
               "<MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>"),
    # 客户同意进行聊天内容存档事件回调 (/document/path/92005): a ChangeType the contract does not read
    ("/wecom", "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
               "<CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType>"
               "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[msg_audit_approved]]>"
               "</ChangeType><UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[woAJ2GCAAABiuyuja]]>"
               "</ExternalUserID></xml>"),
    ("/wecom", "<xml><ToUserName>toUser</ToUserName><FromUserName>sys</FromUserName><CreateTime>1403610513"
               "</CreateTime><MsgType>event</MsgType><Event>change_external_chat</Event><ChatId>wrx</ChatId>"
               "<ChangeType>create</ChangeType></xml>"),
    # a follower's text message and a LOCATION report: personal data the warehouse does not read
    ("/oa", "<xml><ToUserName>toUser</ToUserName><FromUserName>o6_bm</FromUserName><CreateTime>1348831860"
            "</CreateTime><MsgType>text</MsgType><Content>电话 13812345678</Content><MsgId>1</MsgId></xml>"),
    ("/oa", "<xml><ToUserName>toUser</ToUserName><FromUserName>o6_bm</FromUserName><CreateTime>123456789"
            "</CreateTime><MsgType>event</MsgType><Event>LOCATION</Event><Latitude>23.137466</Latitude></xml>"),
])
def test_messages_the_warehouse_does_not_read_are_answered_and_not_written(app, tmp_path, path, message):
    assert post(app, path, message.encode()) == (200, "success")
    assert not any(tmp_path.rglob("*.jsonl"))


def test_the_received_landing_loads_with_nothing_quarantined(app, tmp_path):
    for _ in range(2):  # every push retried once: nothing repeats in the landing or the load
        for event in documented("wecom", "contact_event"):
            assert post(app, "/wecom", xml(event)) == (200, "success")
        for event in documented("oa", "event"):
            assert post(app, "/oa", xml(event)) == (200, "success")
    # the day ends (here: a receiver started the next day publishes it), and the night loads it
    Landing(tmp_path, today=lambda: DAY + timedelta(1)).prepare([("wecom", "contact_event"), ("oa", "event")])
    con = duckdb.connect()
    ensure_raw_schema(con)
    for source, entity, rows in [("wecom", "contact_event", 6), ("oa", "event", 5)]:
        result = load_partition(con, tmp_path, source, entity, DAY, b"test-salt")
        counts = (result.rows_offered, result.rows_loaded, result.duplicates, result.quarantined)
        assert counts == (rows, rows, 0, 0)
    got = con.execute("select change_type, userid, source, fail_reason from raw.wecom__contact_event "
                      "order by create_time").fetchall()
    assert got == [("add_half_external_contact", "lisi", None, None),
                   ("add_external_contact", "zhangsan", None, None),
                   ("edit_external_contact", "zhangsan", None, None),
                   ("del_external_contact", "rocky", "DELETE_BY_TRANSFER", None),
                   ("del_follow_user", "lisi", None, None),
                   ("transfer_fail", "lisi", None, "customer_refused")]
    qr = con.execute("select count(*) filter (event_key = 'qrscene_123123') from raw.oa__event").fetchone()
    assert qr == (1,)
