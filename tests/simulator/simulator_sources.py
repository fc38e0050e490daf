"""spec/sources.md written out for the simulator's tests, independently of the loader's contracts and
of the simulator's own platform.py: what a strict reader of sources.md must say about each record.

A field token is `path:kind`; `path?` is optional, `path@other=value` required only when another
field has that value; `list[].key` is a key of each element of a list. Kinds: id (identifiers, codes:
"" is missing), text (free text: never missing), int, num, bool, s / ms (epoch), s0 (epoch s, 0 = none),
local ('YYYY-MM-DD HH:MM:SS' Beijing), date, yuan (元, may carry 元), yuan- (may be negative), fen
(分 integer), phone, list, obj, =name (an enumeration below). Paths are below a record's envelope
(ROOTS), as sources.md names them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

BJ = timezone(timedelta(hours=8))
EARLIEST = datetime(2010, 1, 1, tzinfo=BJ).timestamp()
GRACE_DAYS = 1
ENUMS = {
    "contact_type": (1, 2), "member_type": (1, 2), "join_scene": (1, 2, 3), "groupmsg": (0, 1, 2, 3),
    "add_way": (0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 201, 202),
    "change": ("add_external_contact", "add_half_external_contact", "edit_external_contact",
               "del_external_contact", "del_follow_user", "transfer_fail"),
    "fail": ("customer_refused", "customer_limit_exceed"), "action": ("send", "recall", "switch"),
    "subscribe": (0, 1), "msg_type": ("event",),
    "oa_event": ("subscribe", "unsubscribe", "SCAN", "CLICK", "VIEW"),
    "scene": tuple("ADD_SCENE_" + s for s in (
        "SEARCH", "ACCOUNT_MIGRATION", "PROFILE_CARD", "QR_CODE", "PROFILE_LINK", "PROFILE_ITEM", "PAID",
        "WECHAT_ADVERTISEMENT", "REPRINT", "LIVESTREAM", "CHANNELS", "WXA", "OTHERS")),
    "mp_event": ("page_view", "add_to_cart", "share", "share_open", "checkout"),
    "yz_status": ("WAIT_BUYER_PAY", "TRADE_PAID", "WAIT_CONFIRM", "WAIT_SELLER_SEND_GOODS",
                  "WAIT_BUYER_CONFIRM_GOODS", "TRADE_SUCCESS", "TRADE_CLOSED"),
    "refund_state": (0, 1, 2, 11, 12),
    "yz_refund": ("WAIT_SELLER_AGREE", "WAIT_BUYER_RETURN_GOODS", "WAIT_SELLER_CONFIRM_GOODS",
                  "SELLER_REFUSE_BUYER", "CLOSED", "SUCCESS"),
    "dy_status": (1, 105, 2, 101, 3, 4, 5),
    "tmall_status": ("等待买家付款", "买家已付款,等待卖家发货", "卖家已发货,等待买家确认", "交易成功",
                     "交易关闭"),
    "ad_platform": ("oceanengine", "tencent_ads", "xiaohongshu", "kuaishou", "baidu"),
    "step": ("scan", "add_friend", "task_complete"), "role": ("guide", "manager", "service"),
    "emp_status": ("active", "left"),
}
ROOTS = {"wecom/group_chat": "group_chat", "youzan/trade": "full_order_info"}
ENTITIES = {
    "org/employee": ("userid:id name:text store_code:id role:=role pos_cashier_code?:id mobile?:phone "
                     "status:=emp_status"),
    "org/store": "store_code:id store_name:text city:text region:text open_date:date",
    "org/channel_code": "code:id channel:id campaign_id:id campaign_name:text description:text",
    "org/product": "sku:id title:text category:id list_price:yuan is_trial:bool",
    "org/test_account": "id_type:id id_value:id note:text",
    "wecom/external_contact": (
        "external_contact.external_userid:id external_contact.name:text external_contact.type:=contact_type "
        "external_contact.gender:int external_contact.unionid?:id external_contact.corp_name?:text "
        "follow_info.userid:id follow_info.remark:text follow_info.description:text follow_info.createtime:s "
        "follow_info.tag_id:list follow_info.remark_mobiles:list follow_info.add_way:=add_way "
        "follow_info.oper_userid:id follow_info.state?:id"),
    "wecom/contact_event": (
        "ToUserName:id FromUserName:id CreateTime:s MsgType:id Event:id ChangeType:=change UserID:id "
        "ExternalUserID:id State?:id WelcomeCode?:id Source?:id FailReason?:=fail"),
    "wecom/group_chat": (
        "chat_id:id name:text owner:id create_time:s notice:text member_list:list member_list[].userid:id "
        "member_list[].type:=member_type member_list[].unionid?:id member_list[].join_time:s "
        "member_list[].join_scene:=join_scene member_list[].invitor?:obj member_list[].group_nickname:text "
        "member_list[].name:text"),
    "wecom/user_behavior": (
        "userid:id stat_time:s new_apply_cnt:int new_contact_cnt:int chat_cnt:int message_cnt:int "
        "reply_percentage?:num avg_reply_time?:num negative_feedback_cnt:int"),
    "wecom/groupmsg_send": ("msgid:id create_time:s userid:id external_userid?:id chat_id?:id "
                            "status:=groupmsg send_time?:s0"),
    "wecom/message": "msgid:id action:=action from:id tolist:list roomid?:id msgtime:ms msgtype:id",
    "wecom/message#switch": "msgid:id action:=action time:ms user:id",
    # qr_scene / qr_scene_str / tagid_list / language: user/info returns 0, "" and [] for a follower who
    # came by no QR code, so they are optional in practice (sources.md lists them without `?`).
    "oa/user": ("subscribe:=subscribe openid:id unionid?:id subscribe_time@subscribe=1:s "
                "subscribe_scene@subscribe=1:=scene qr_scene?:int qr_scene_str?:id tagid_list?:list "
                "remark?:text language?:id"),
    "oa/event": "ToUserName:id FromUserName:id CreateTime:s MsgType:=msg_type Event:=oa_event EventKey?:id",
    "mp/user": "openid:id unionid?:id phone_number?:phone country_code?:id created_at:ms",
    "mp/event": ("event_id:id openid:id event:=mp_event page_path:text scene:id share_from_openid?:id "
                 "utm_source?:id utm_medium?:id utm_campaign?:id ts:ms"),
    "youzan/trade": (
        "order_info.tid:id order_info.status:=yz_status order_info.created:local "
        "order_info.update_time:local order_info.pay_time?:local order_info.success_time?:local "
        "order_info.refund_state:=refund_state "
        "order_info.order_tags.is_offline_order?:bool order_info.order_extra.cashier_id?:id "
        "buyer_info.yz_open_id:id buyer_info.buyer_phone?:phone buyer_info.outer_user_id?:id "
        "pay_info.payment:yuan pay_info.post_fee:yuan orders:list orders[].oid:id orders[].outer_sku_id:id "
        "orders[].title:text orders[].num:int orders[].payment:yuan orders[].is_present:bool"),
    "youzan/refund": ("refund_id:id tid:id oid?:id status:=yz_refund refund_fee:yuan created:local "
                      "modified:local reason:text"),
    "douyin/order": (
        "order_id:id order_status:=dy_status create_time:s pay_time?:s0 update_time:s pay_amount:fen "
        "doudian_open_id:id mask_post_tel?:phone encrypt_post_tel?:phone sku_order_list:list "
        "sku_order_list[].order_id:id sku_order_list[].parent_order_id:id sku_order_list[].code:id "
        "sku_order_list[].product_name:text sku_order_list[].item_num:int sku_order_list[].pay_amount:fen "
        "sku_order_list[].author_id?:id sku_order_list[].room_id?:id sku_order_list[].video_id?:id"),
    "douyin/after_sale": ("aftersale_id:id order_id:id aftersale_type:int aftersale_status:int "
                          "refund_amount:fen refund_status:int create_time:s update_time:s"),
    "tmall/trade": ("订单编号:id 买家会员名:id 买家应付货款:yuan 买家实际支付金额:yuan "
                    "订单状态:=tmall_status 订单创建时间:local 订单付款时间?:local 收货人手机号?:phone "
                    "退款金额:yuan 宝贝标题:text 宝贝总数量:int"),
    "tmall/member": "会员ID:id 买家会员名:id 手机号:phone 绑定时间:local",
    "pos/receipt": ("门店编码:id 小票号:id 交易时间:local 会员卡号?:id 手机号?:phone 金额:yuan- "
                    "折扣:yuan- 收款员代码:id 原单流水号?:id 补刷卡标记:bool"),
    "pos/member": "会员卡号:id 手机号:phone 姓名:text 生日?:text 注册门店:id 注册时间:local 专属导购?:id",
    "leads/oceanengine": (
        "clue_id:id create_time_detail:local telephone:phone weixin?:id clue_source:id clue_type:id "
        "clue_state:id advertiser_id:id promotion_id:id promotion_name:text external_action?:text"),
    "ads/spend": ("date:date platform:=ad_platform account_id:id campaign_id:id campaign_name:text "
                  "impressions:int clicks:int cost:yuan"),
    "fission/invitation": ("campaign_id:id inviter_unionid?:id inviter_external_userid?:id "
                           "invitee_unionid?:id invitee_external_userid?:id step:=step ts:s reward?:text"),
}
REQUIRE_ANY = {"fission/invitation": (("inviter_unionid", "inviter_external_userid"),
                                      ("invitee_unionid", "invitee_external_userid"))}
_TOKEN = re.compile(r"^(?P<path>[^?@:]+)(?P<opt>\?)?(?:@(?P<when>[^=]+)=(?P<value>[^:]+))?:(?P<kind>.+)$")
_LOCAL = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def fields(entity: str) -> list[dict]:
    return [_TOKEN.match(t).groupdict() for t in ENTITIES[entity].split()]


def entity_of(entity: str, rec) -> str:
    """A chat-archive `switch` record has a shape of its own."""
    switch = entity == "wecom/message" and isinstance(rec, dict) and rec.get("action") == "switch"
    return entity + "#switch" if switch else entity


def values(rec, path: str) -> list:
    """The values at `path` ([one] for a plain path, one per element for `list[].key`); None = absent."""
    if isinstance(rec, dict) and path in rec:
        return [rec[path]]
    nodes = [rec]
    for part in path.split("."):
        many = part.endswith("[]")
        key = part[:-2] if many else part
        nxt = []
        for n in nodes:
            v = n.get(key) if isinstance(n, dict) else None
            nxt += (v if isinstance(v, list) else []) if many else [v]
        nodes = nxt
    return nodes


def _blank(v) -> bool:
    return v is None or v == ""


def _missing(kind: str, v) -> bool:
    if kind == "text":
        return False
    return v is None if kind in ("list", "obj") else _blank(v)


def _epoch(kind: str, v) -> float | None:
    if kind == "local":
        if not _LOCAL.match(v):
            return -1
        return datetime.strptime(v, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BJ).timestamp()
    n = int(v)
    if n == 0 and kind == "s0":
        return None
    return n / 1000 if kind == "ms" else n


def _bad_value(kind: str, v, day: str) -> str | None:
    if kind.startswith("="):
        allowed = ENUMS[kind[1:]]
        try:
            ok = (int(v) if isinstance(allowed[0], int) else v) in allowed
        except (TypeError, ValueError):
            ok = False
        return None if ok else "unknown_enum_value"
    if kind.startswith("yuan") or kind == "fen":
        if kind == "fen" and not isinstance(v, int):
            return "unparseable_amount"
        try:
            amount = Decimal(str(v).removesuffix("元"))
        except InvalidOperation:
            return "unparseable_amount"
        return "negative_amount" if amount < 0 and kind != "yuan-" else None
    if kind in ("s", "s0", "ms", "local"):
        try:
            t = _epoch(kind, v)
        except (TypeError, ValueError):
            return "unparseable_time"
        if t is None:
            return None
        if t < EARLIEST:
            return "time_before_2010" if t >= 0 else "unparseable_time"
        next_day = date.fromisoformat(day) + timedelta(days=GRACE_DAYS + 1)
        end = datetime.combine(next_day, datetime.min.time(), BJ)
        return "time_in_future" if t > end.timestamp() else None
    if kind == "bool":
        ok = v in (True, False, 0, 1, "true", "false", "0", "1", "是", "否")
        return None if ok else "unparseable_value"
    if kind in ("int", "num"):
        try:
            float(v) if kind == "num" else int(v)
        except (TypeError, ValueError):
            return "unparseable_value"
    return None


def verdict(entity: str, day: str, rec) -> tuple[str, str] | None:
    """(quarantine reason, field path) a strict reader of sources.md gives `rec`, or None if it loads.
    Checks run in the order missing → enum → amount → time → other values, one reason per record."""
    if rec is None:
        return "unparseable_record", ""
    entity = entity_of(entity, rec)
    specs = fields(entity)
    root = ROOTS.get(entity)
    if root:   # the envelope: its absence leaves every field missing
        rec = rec.get(root) if isinstance(rec, dict) else None
    found = {f["path"]: values(rec, f["path"]) for f in specs}
    head = {f["path"]: (found[f["path"]] or [None])[0] for f in specs if "[]" not in f["path"]}
    for f in specs:
        need = not f["opt"] and (not f["when"] or str(head.get(f["when"])) == f["value"])
        if need and any(_missing(f["kind"], v) for v in found[f["path"]] or [None]):
            return "missing_required_field", f["path"]
    for group in REQUIRE_ANY.get(entity, ()):
        if all(_blank(head[c]) for c in group):
            return "missing_required_field", "|".join(group)
    for order in ("=", "yuan", "time", "other"):
        for f in specs:
            kind = f["kind"]
            group = ("=" if kind.startswith("=") else "yuan" if kind.startswith("yuan") or kind == "fen"
                     else "time" if kind in ("s", "s0", "ms", "local") else "other")
            if group != order:
                continue
            for v in found[f["path"]]:
                bad = None if _blank(v) else _bad_value(kind, v, day)
                if bad:
                    return bad, f["path"]
    return None
