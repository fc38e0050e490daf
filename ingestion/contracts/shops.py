"""Online shops: Youzan (有赞), Douyin shop (抖店) and Tmall (天猫)."""

from .model import Contract, Field

YOUZAN_STATUSES = (
    "WAIT_BUYER_PAY", "TRADE_PAID", "WAIT_CONFIRM", "WAIT_SELLER_SEND_GOODS",
    "WAIT_BUYER_CONFIRM_GOODS", "TRADE_SUCCESS", "TRADE_CLOSED",
)
YOUZAN_REFUND_STATUSES = (
    "WAIT_SELLER_AGREE", "WAIT_BUYER_RETURN_GOODS", "WAIT_SELLER_CONFIRM_GOODS",
    "SELLER_REFUSE_BUYER", "CLOSED", "SUCCESS",
)
TMALL_STATUSES = ("等待买家付款", "买家已付款,等待卖家发货", "卖家已发货,等待买家确认", "交易成功", "交易关闭")

CONTRACTS = (
    Contract(
        "youzan", "trade", "events", ("jsonl", "json"),
        (
            Field("tid"),
            Field("status", enum=YOUZAN_STATUSES),
            Field("created", "local_ts"),
            Field("pay_time", "local_ts", required=False),
            Field("update_time", "local_ts"),
            Field("success_time", "local_ts", required=False),
            Field("payment", "yuan"),
            Field("post_fee", "yuan"),
            Field("yz_open_id", source="buyer.yz_open_id"),
            Field("buyer_phone", "phone", source="buyer.buyer_phone", required=False),
            Field("outer_user_id", source="buyer.outer_user_id", required=False),
            Field("orders", "json", description="lines: oid, outer_sku_id, title, num, payment, is_present"),
            Field("refund_state", "int", enum=(0, 1, 2, 11, 12)),
            Field("is_offline_order", "bool"),
            Field("cashier_id", required=False),
        ),
        key=("tid",),
        version_by=("update_time",),
        steady_volume=True,
    ),
    Contract(
        "youzan", "refund", "events", ("jsonl", "json"),
        (
            Field("refund_id"),
            Field("tid"),
            Field("oid", required=False),
            Field("status", enum=YOUZAN_REFUND_STATUSES),
            Field("refund_fee", "yuan"),
            Field("created", "local_ts"),
            Field("modified", "local_ts"),
            Field("reason", required=False, pii="drop"),
        ),
        key=("refund_id",),
        version_by=("modified",),
    ),
    Contract(
        "douyin", "order", "events", ("jsonl", "json"),
        (
            Field("order_id"),
            Field("order_status", "int", enum=(1, 105, 2, 101, 3, 4, 5)),
            Field("create_time", "epoch_s"),
            Field("pay_time", "epoch_s", required=False, zero_is_null=True),
            Field("update_time", "epoch_s"),
            Field("pay_amount", "fen"),
            Field("doudian_open_id"),
            Field("mask_post_tel", "phone", required=False),
            Field("author_id", required=False),
            Field("room_id", required=False),
            Field("video_id", required=False),
            Field("sku_order_list", "json", description="lines: sku_order_id, code, product_name, item_num, pay_amount (分)"),
        ),
        key=("order_id",),
        version_by=("update_time",),
    ),
    Contract(
        "douyin", "after_sale", "events", ("jsonl", "json"),
        (
            Field("aftersale_id"),
            Field("order_id"),
            Field("aftersale_type", "int"),
            Field("aftersale_status", "int"),
            Field("refund_amount", "fen"),
            Field("refund_status", "int"),
            Field("create_time", "epoch_s"),
            Field("update_time", "epoch_s"),
        ),
        key=("aftersale_id",),
        version_by=("update_time",),
    ),
    Contract(
        "tmall", "trade", "events", ("csv", "xlsx"),
        (
            Field("order_no", source="订单编号"),
            Field("buyer_nick", source="买家会员名"),
            Field("payable_amount", "yuan", source="买家应付货款"),
            Field("paid_amount", "yuan", source="买家实际支付金额"),
            Field("order_status", source="订单状态", enum=TMALL_STATUSES),
            Field("created_at", "local_ts", source="订单创建时间"),
            Field("paid_at", "local_ts", source="订单付款时间", required=False),
            Field("receiver_phone", "phone", source="收货人手机号", required=False),
            Field("refund_amount", "yuan", source="退款金额"),
            Field("item_title", source="宝贝标题"),
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
            Field("member_id", source="会员ID"),
            Field("buyer_nick", source="买家会员名"),
            Field("phone", "phone", source="手机号"),
            Field("bound_at", "local_ts", source="绑定时间"),
        ),
        key=("member_id",),
    ),
)
