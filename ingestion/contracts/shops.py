"""Online shops: Youzan (有赞), Douyin shop (抖店) and Tmall (天猫)."""

from .model import Contract, Field
from .pages import Page

YOUZAN_STATUSES = (
    "WAIT_BUYER_PAY", "TRADE_PAID", "WAIT_CONFIRM", "WAIT_SELLER_SEND_GOODS",
    "WAIT_BUYER_CONFIRM_GOODS", "TRADE_SUCCESS", "TRADE_CLOSED",
)
YOUZAN_REFUND_STATUSES = (
    "WAIT_SELLER_AGREE", "WAIT_BUYER_RETURN_GOODS", "WAIT_SELLER_CONFIRM_GOODS",
    "SELLER_REFUSE_BUYER", "CLOSED", "SUCCESS",
)
TMALL_STATUSES = (
    "等待买家付款", "买家已付款,等待卖家发货", "卖家已发货,等待买家确认", "交易成功", "交易关闭",
)

YZ = "full_order_info"
YOUZAN_LINE = (
    Field("oid", kind="id"),
    Field("outer_sku_id", required=False, kind="id"),  # "" when the merchant set no SKU code
    Field("title", kind="free"),
    Field("num", "int"),
    Field("payment", "yuan"),
    Field("is_present", "bool", required=False),
)
DOUYIN_LINE = (
    Field("order_id", kind="id"),
    Field("parent_order_id", required=False, kind="id"),
    Field("code", required=False, kind="id"),  # the merchant's SKU code, "" when not set
    Field("product_name", kind="free"),
    Field("item_num", "int"),
    Field("pay_amount", "fen"),
    # "0" (or "") when the line was not bought through a live room, author or video
    Field("author_id", required=False, kind="id"),
    Field("room_id", required=False, kind="id"),
    Field("video_id", required=False, kind="id"),
)

CONTRACTS = (
    Contract(
        # One line per order version: the object youzan.trade.get returns (and trade pushes carry),
        # nested under full_order_info. Everything else Youzan sends (address_info, remark_info,
        # buyer messages on lines …) is not read and not kept.
        "youzan", "trade", "events", ("jsonl", "json"),
        (
            Field("tid", source=f"{YZ}.order_info.tid", kind="id"),
            Field("status", source=f"{YZ}.order_info.status", enum=YOUZAN_STATUSES, kind="code"),
            Field("created", "local_ts", source=f"{YZ}.order_info.created"),
            Field("pay_time", "local_ts", source=f"{YZ}.order_info.pay_time", required=False),
            Field("update_time", "local_ts", source=f"{YZ}.order_info.update_time"),
            Field("success_time", "local_ts", source=f"{YZ}.order_info.success_time", required=False),
            Field("payment", "yuan", source=f"{YZ}.pay_info.payment"),
            Field("post_fee", "yuan", source=f"{YZ}.pay_info.post_fee"),
            Field("yz_open_id", source=f"{YZ}.buyer_info.yz_open_id", kind="id"),
            Field("buyer_phone", "phone", source=f"{YZ}.buyer_info.buyer_phone", required=False,
                  description="may be encrypted ($…$1$): then never a linking key"),
            Field("outer_user_id", source=f"{YZ}.buyer_info.outer_user_id", required=False, kind="id",
                  description="the buyer's openid in the storefront the order came from (links to an "
                  "mp/user with that openid; by itself makes no one a mini program user)"),
            Field("orders", "json", source=f"{YZ}.orders", items=YOUZAN_LINE, items_key=("oid",),
                  description="lines: oid, outer_sku_id, title, num, payment, is_present"),
            Field("refund_state", "int", source=f"{YZ}.order_info.refund_state", enum=(0, 1, 2, 11, 12)),
            Field("is_offline_order", "bool", source=f"{YZ}.order_info.order_tags.is_offline_order",
                  required=False),
            Field("cashier_id", source=f"{YZ}.order_info.order_extra.cashier_id", required=False, kind="id"),
        ),
        key=("tid",),
        version_by=("update_time",),
        # youzan.trades.sold.get's page of orders; youzan.trade.get's one order
        pages=(Page("data.full_order_info_list"), Page("data")),
        steady_volume=True,
    ),
    Contract(
        "youzan", "refund", "events", ("jsonl", "json"),
        (
            Field("refund_id", kind="id"),
            Field("tid", kind="id"),
            Field("oid", required=False, kind="id"),
            Field("status", enum=YOUZAN_REFUND_STATUSES, kind="code"),
            Field("refund_fee", "yuan"),
            Field("created", "local_ts"),
            Field("modified", "local_ts"),
            Field("reason", required=False, pii="drop", kind="free"),
        ),
        key=("refund_id",),
        version_by=("modified",),
        pages=(Page("data"),),  # youzan.trade.refund.get
    ),
    Contract(
        # A shop order as order.searchList / order.orderDetail return it; a line's own id is its
        # order_id, and live-stream attribution (room_id, author_id, video_id) lives on the lines.
        "douyin", "order", "events", ("jsonl", "json"),
        (
            Field("order_id", kind="id"),
            Field("order_status", "int", enum=(1, 105, 2, 101, 3, 4, 5)),
            Field("create_time", "epoch_s"),
            Field("pay_time", "epoch_s", required=False, zero_is_null=True),
            Field("update_time", "epoch_s"),
            Field("pay_amount", "fen"),
            Field("doudian_open_id", kind="id"),
            Field("mask_post_tel", "phone", required=False),
            Field("sku_order_list", "json", items=DOUYIN_LINE, items_key=("order_id",),
                  description="lines: order_id, parent_order_id, code, product_name, item_num, "
                  "pay_amount (分), author_id, room_id, video_id"),
        ),
        key=("order_id",),
        version_by=("update_time",),
        pages=(Page("data.shop_order_list"), Page("data.shop_order_detail")),  # searchList, orderDetail
    ),
    Contract(
        "douyin", "after_sale", "events", ("jsonl", "json"),
        (
            Field("aftersale_id", kind="id"),
            Field("order_id", kind="id"),
            Field("aftersale_type", "int"),
            Field("aftersale_status", "int"),
            Field("refund_amount", "fen"),
            Field("refund_status", "int"),
            Field("create_time", "epoch_s"),
            Field("update_time", "epoch_s"),
        ),
        key=("aftersale_id",),
        version_by=("update_time",),
        # afterSale.List's page, or its items one a line: the after-sale nested, its shop order beside
        pages=tuple(Page(path, take="aftersale_info", adds=(("order_id", "order_info.shop_order_id"),))
                    for path in ("data.items", "")),
    ),
    Contract(
        "tmall", "trade", "events", ("csv", "xlsx"),
        (
            Field("order_no", source="订单编号", kind="id"),
            Field("buyer_nick", source="买家会员名", kind="id"),
            Field("payable_amount", "yuan", source="买家应付货款"),
            Field("paid_amount", "yuan", source="买家实际支付金额"),
            Field("order_status", source="订单状态", enum=TMALL_STATUSES, kind="code"),
            Field("created_at", "local_ts", source="订单创建时间"),
            Field("paid_at", "local_ts", source="订单付款时间", required=False),
            Field("receiver_phone", "phone", source="收货人手机号", required=False),
            Field("refund_amount", "yuan", source="退款金额"),
            Field("item_title", source="宝贝标题", kind="free"),
            Field("item_quantity", "int", source="宝贝总数量"),
        ),
        key=("order_no",),
        # Overlapping exports: the latest file wins, by folder date then file name.
        version_by=("_business_date", "_file"),
        steady_volume=True,
    ),
    Contract(
        "tmall", "member", "snapshot", ("csv", "xlsx"),
        (
            Field("member_id", source="会员ID", kind="id"),
            Field("buyer_nick", source="买家会员名", kind="id"),
            Field("phone", "phone", source="手机号"),
            Field("bound_at", "local_ts", source="绑定时间"),
        ),
        key=("member_id",),
    ),
)
