"""What each platform sends, as docs/sources.md states it: the part a delivery defect can break.

The simulator stands in for the platforms, so it states their shapes itself instead of reading the
loader's contracts: a loader that drifts from sources.md then disagrees with `_truth/` rather than
silently agreeing with a simulator built from the same mistake (issue 18: three contract shapes
were not the platforms', and a simulator driven by the contracts wrote them all the same).

Paths are dotted below the record's root; `name[]` means "each element of the list `name`"; CSV
paths are the header's column names. Only fields sources.md requires *and* that are identifiers,
times, amounts or enums are listed as `required`: free text (names, remarks, descriptions…) never
quarantines a row, so deleting it is not a defect.
"""

from __future__ import annotations

from dataclasses import dataclass

ADD_WAYS = (0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 201, 202)
CHANGE_TYPES = ("add_external_contact", "add_half_external_contact", "edit_external_contact",
                "del_external_contact", "del_follow_user", "transfer_fail")
YOUZAN_STATUSES = ("WAIT_BUYER_PAY", "TRADE_PAID", "WAIT_CONFIRM", "WAIT_SELLER_SEND_GOODS",
                   "WAIT_BUYER_CONFIRM_GOODS", "TRADE_SUCCESS", "TRADE_CLOSED")
YOUZAN_REFUND_STATUSES = ("WAIT_SELLER_AGREE", "WAIT_BUYER_RETURN_GOODS", "WAIT_SELLER_CONFIRM_GOODS",
                          "SELLER_REFUSE_BUYER", "CLOSED", "SUCCESS")
TMALL_STATUSES = ("等待买家付款", "买家已付款,等待卖家发货", "卖家已发货,等待买家确认", "交易成功",
                  "交易关闭")
# Tmall's order export has some forty columns; the loader reads the first eleven and must ignore the
# rest (sources.md: extra trailing columns), which carry the delivery address and the buyer's note.
TMALL_TRAILING = ("收货地址", "买家留言", "运送方式")


@dataclass(frozen=True)
class Spec:
    kind: str                                    # events | snapshot
    header: tuple[str, ...] = ()                 # CSV columns, in order (empty: JSON)
    root: str | None = None                      # the envelope key of JSON records
    times: tuple[tuple[str, str], ...] = ()      # (path, s|ms|local); a time defect moves the first present
    enums: tuple[tuple[str, tuple], ...] = ()
    required: tuple[str, ...] = ()
    sometimes: frozenset[str] = frozenset()      # of the paths above, those a genuine record may lack

    @property
    def csv(self) -> bool:
        return bool(self.header)


def _csv(kind: str, header: str, **kw) -> Spec:
    return Spec(kind, tuple(header.split()), **kw)


SPECS: dict[str, Spec] = {
    "org/employee": _csv("snapshot", "userid name store_code role pos_cashier_code mobile status"),
    "org/store": _csv("snapshot", "store_code store_name city region open_date"),
    "org/channel_code": _csv("snapshot", "code channel campaign_id campaign_name description"),
    "org/product": _csv("snapshot", "sku title category list_price is_trial"),
    "org/test_account": _csv("snapshot", "id_type id_value note"),
    "wecom/external_contact": Spec(
        "snapshot", times=(("follow_info.createtime", "s"),),
        enums=(("external_contact.type", (1, 2)), ("follow_info.add_way", ADD_WAYS)),
        required=("external_contact.external_userid", "follow_info.userid", "follow_info.createtime",
                  "follow_info.add_way")),
    "wecom/contact_event": Spec(
        "events", times=(("CreateTime", "s"),), enums=(("ChangeType", CHANGE_TYPES),),
        required=("ExternalUserID", "UserID", "CreateTime", "ChangeType")),
    "wecom/group_chat": Spec("snapshot", root="group_chat", times=(("create_time", "s"),),
                             required=("chat_id", "owner", "create_time")),
    "wecom/user_behavior": Spec("events", times=(("stat_time", "s"),), required=("userid", "stat_time")),
    "wecom/groupmsg_send": Spec("events", times=(("create_time", "s"),), enums=(("status", (0, 1, 2, 3)),),
                                required=("msgid", "userid", "create_time", "status")),
    "wecom/message": Spec("events", times=(("msgtime", "ms"),),
                          enums=(("action", ("send", "recall", "switch")),),
                          required=("msgid", "from", "msgtime", "action")),
    # A switch record has no `from`/`msgtime`; its action is left alone (a garbled action would leave a
    # record no loader could tell from a broken message record).
    "wecom/message#switch": Spec("events", times=(("time", "ms"),), required=("msgid", "user", "time")),
    "oa/user": Spec(
        "snapshot", times=(("subscribe_time", "s"),),
        enums=(("subscribe", (0, 1)), ("subscribe_scene", (
            "ADD_SCENE_SEARCH", "ADD_SCENE_ACCOUNT_MIGRATION", "ADD_SCENE_PROFILE_CARD", "ADD_SCENE_QR_CODE",
            "ADD_SCENE_PROFILE_LINK", "ADD_SCENE_PROFILE_ITEM", "ADD_SCENE_PAID",
            "ADD_SCENE_WECHAT_ADVERTISEMENT",
            "ADD_SCENE_REPRINT", "ADD_SCENE_LIVESTREAM", "ADD_SCENE_CHANNELS", "ADD_SCENE_WXA",
            "ADD_SCENE_OTHERS"))),
        required=("openid", "subscribe"), sometimes=frozenset({"subscribe_time", "subscribe_scene"})),
    "oa/event": Spec("events", times=(("CreateTime", "s"),),
                     enums=(("Event", ("subscribe", "unsubscribe", "SCAN", "CLICK", "VIEW")),),
                     required=("FromUserName", "CreateTime", "Event")),
    "mp/user": Spec("snapshot", times=(("created_at", "ms"),), required=("openid", "created_at")),
    "mp/event": Spec("events", times=(("ts", "ms"),),
                     enums=(("event", ("page_view", "add_to_cart", "share", "share_open", "checkout")),),
                     required=("event_id", "openid", "event", "ts")),
    "youzan/trade": Spec(
        "events", root="full_order_info",
        times=(("order_info.created", "local"), ("order_info.update_time", "local")),
        enums=(("order_info.status", YOUZAN_STATUSES), ("order_info.refund_state", (0, 1, 2, 11, 12))),
        required=("order_info.tid", "order_info.update_time", "buyer_info.yz_open_id", "pay_info.payment",
                  "orders[].oid")),
    "youzan/refund": Spec("events", times=(("created", "local"), ("modified", "local")),
                          enums=(("status", YOUZAN_REFUND_STATUSES),),
                          required=("refund_id", "tid", "refund_fee", "modified")),
    "douyin/order": Spec(
        "events", times=(("create_time", "s"), ("update_time", "s")),
        enums=(("order_status", (1, 105, 2, 101, 3, 4, 5)),),
        required=("order_id", "update_time", "pay_amount", "doudian_open_id", "sku_order_list[].order_id")),
    "douyin/after_sale": Spec("events", times=(("create_time", "s"), ("update_time", "s")),
                              required=("aftersale_id", "order_id", "refund_amount", "update_time")),
    "tmall/trade": _csv(
        "events", "订单编号 买家会员名 买家应付货款 买家实际支付金额 订单状态 订单创建时间 订单付款时间 "
        "收货人手机号 退款金额 宝贝标题 宝贝总数量 " + " ".join(TMALL_TRAILING),
        times=(("订单创建时间", "local"),), enums=(("订单状态", TMALL_STATUSES),),
        required=("订单编号", "买家会员名", "买家实际支付金额", "订单创建时间")),
    "tmall/member": _csv("snapshot", "会员ID 买家会员名 手机号 绑定时间", times=(("绑定时间", "local"),),
                         required=("会员ID", "绑定时间")),
    "pos/receipt": _csv("events", "门店编码 小票号 交易时间 会员卡号 手机号 金额 折扣 收款员代码 原单流水号 "
                        "补刷卡标记",
                        times=(("交易时间", "local"),), required=("门店编码", "小票号", "交易时间", "金额")),
    "pos/member": _csv("snapshot", "会员卡号 手机号 姓名 生日 注册门店 注册时间 专属导购",
                       times=(("注册时间", "local"),), required=("会员卡号", "注册时间")),
    "leads/oceanengine": _csv(
        "events", "clue_id create_time_detail telephone weixin clue_source clue_type clue_state "
        "advertiser_id promotion_id promotion_name external_action", times=(("create_time_detail", "local"),),
        required=("clue_id", "create_time_detail", "promotion_id")),
    "ads/spend": _csv("events", "date platform account_id campaign_id campaign_name impressions clicks cost",
                      enums=(("platform", ("oceanengine", "tencent_ads", "xiaohongshu", "kuaishou",
                                           "baidu")),),
                      required=("date", "campaign_id", "cost")),
    "fission/invitation": Spec("events", times=(("ts", "s"),),
                               enums=(("step", ("scan", "add_friend", "task_complete")),),
                               required=("campaign_id", "step", "ts")),
}
