"""A small hand-made day on the fake platform, big enough that every list takes several pages:
3 guides with 20 contacts, 2 groups, behaviour rows, mass-message results, 10 followers and 12 trades.
Shapes as the API pages cited in fake_wecom.py, fake_oa.py and fake_youzan.py show them."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

GUIDES = ["zhangsan", "lisi", "wangwu"]


def day_start(day: date) -> int:
    return int(datetime.combine(day, time(), ZoneInfo("Asia/Shanghai")).timestamp())


def contact(i: int) -> dict:
    guide = GUIDES[i % 3]
    ext = {"external_userid": f"wmContact{i:04d}", "name": f"客户{i}", "type": 1, "gender": i % 3}
    if i % 2:
        ext["unionid"] = f"oUnion{i:04d}"
    return {
        "external_contact": ext,
        "follow_info": {
            "userid": guide,
            "remark": "",
            "description": "",
            "createtime": 1_790_000_000 + i,
            "tag_id": [],
            "remark_mobiles": [],
            "add_way": 1,
            "oper_userid": f"wmContact{i:04d}",
            "state": "store_S001",
        },
    }


def group(n: int, start: int) -> dict:
    return {
        "chat_id": f"wrGroup{n}",
        "name": f"福利群{n}",
        "owner": GUIDES[n % 3],
        "create_time": start - 86_400,
        "notice": "",
        "member_list": [
            {
                "userid": GUIDES[n % 3],
                "type": 1,
                "join_time": start - 86_400,
                "join_scene": 1,
                "group_nickname": "",
                "name": "导购",
            },
            {
                "userid": f"wmContact{n:04d}",
                "type": 2,
                "unionid": f"oUnion{n:04d}",
                "join_time": start - 600,
                "join_scene": 3,
                "invitor": {"userid": GUIDES[n % 3]},
                "group_nickname": "",
                "name": f"客户{n}",
            },
        ],
        "admin_list": [],
    }


def trade(i: int, day: date) -> dict:
    tid = f"E{day:%Y%m%d}{i:012d}"
    stamp = f"{day} 10:{i:02d}:00"
    return {
        "full_order_info": {
            "order_info": {
                "tid": tid,
                "status": "TRADE_PAID",
                "created": stamp,
                "update_time": stamp,
                "pay_time": stamp,
                "refund_state": 0,
                "order_tags": {},
                "order_extra": {},
            },
            "buyer_info": {"yz_open_id": f"yzOpen{i:04d}", "outer_user_id": ""},
            "pay_info": {"payment": "99.00", "post_fee": "0.00"},
            "orders": [
                {
                    "oid": f"{i:014d}",
                    "outer_sku_id": "SC-L02",
                    "title": "卸妆油",
                    "num": 1,
                    "payment": "99.00",
                    "is_present": False,
                }
            ],
        }
    }


def fill(fake, day: date) -> dict:
    """Set the fake's state for `day`; returns the records each pulled entity must land."""
    start = day_start(day)
    w = fake.wecom.state
    w.day_start, w.guides = start, list(GUIDES)
    w.contacts = [contact(i) for i in range(20)]
    w.groups = {g["chat_id"]: g for g in (group(1, start), group(2, start))}
    w.behavior = [
        {
            "userid": g,
            "stat_time": start,
            "new_apply_cnt": 1,
            "new_contact_cnt": 1,
            "chat_cnt": 2,
            "message_cnt": 5,
            "reply_percentage": 50.0,
            "avg_reply_time": 3,
            "negative_feedback_cnt": 0,
        }
        for g in GUIDES
    ]
    w.groupmsg = [
        {
            "msgid": "msgAAA",
            "create_time": start + 3600,
            "userid": "zhangsan",
            "external_userid": f"wmContact{i:04d}",
            "status": 1,
            "send_time": start + 4000 + i,
        }
        for i in (0, 3, 6)
    ] + [
        {
            "msgid": "msgBBB",
            "create_time": start + 7200,
            "userid": "lisi",
            "chat_id": "wrGroup1",
            "status": 0,
        }
    ]
    o = fake.oa.state
    o.users = {
        f"oOpen{i:03d}": {
            "subscribe": 1,
            "openid": f"oOpen{i:03d}",
            "subscribe_time": start - i,
            "subscribe_scene": "ADD_SCENE_QR_CODE",
            "qr_scene": 0,
            "qr_scene_str": "",
            "tagid_list": [],
            "remark": "",
            "language": "zh_CN",
        }
        for i in range(10)
    }
    o.followers = list(o.users)
    y = fake.youzan.state
    y.day, y.trades = day.isoformat(), [trade(i, day) for i in range(12)]
    y.refunds = [
        {
            "refund_id": "R1",
            "tid": y.trades[0]["full_order_info"]["order_info"]["tid"],
            "status": "SUCCESS",
            "refund_fee": "99.00",
            "created": f"{day} 11:00:00",
            "modified": f"{day} 12:00:00",
            "reason": "",
        }
    ]
    return {
        ("wecom", "external_contact"): w.contacts,
        ("wecom", "group_chat"): [{"group_chat": g} for g in w.groups.values()],
        ("wecom", "user_behavior"): w.behavior,
        ("wecom", "groupmsg_send"): w.groupmsg,
        ("oa", "user"): list(o.users.values()),
        ("youzan", "trade"): y.trades,
        ("youzan", "refund"): y.refunds,
    }
