"""pos: offline stores' point-of-sale exports (CSV, often GB18030)."""

from .model import Contract, Field

CONTRACTS = (
    Contract(
        "pos", "receipt", "events", ("csv", "xlsx"),
        (
            Field("store_code", source="门店编码", kind="id"),
            Field("receipt_no", source="小票号", kind="id"),
            Field("traded_at", "local_ts", source="交易时间"),
            Field("card_no", source="会员卡号", required=False, kind="id"),
            Field("phone", "phone", source="手机号", required=False),
            Field("amount", "yuan", source="金额", allow_negative=True,
                  description="paid after discount; negative on returns"),
            Field("discount", "yuan", source="折扣", allow_negative=True),
            Field("cashier_code", source="收款员代码", kind="id"),
            Field("original_receipt_no", source="原单流水号", required=False, kind="id"),
            Field("is_late_swipe", "bool", source="补刷卡标记"),
        ),
        key=("store_code", "receipt_no"),
        steady_volume=True,
    ),
    Contract(
        "pos", "member", "snapshot", ("csv", "xlsx"),
        (
            Field("card_no", source="会员卡号", kind="id"),
            Field("phone", "phone", source="手机号"),
            Field("name", source="姓名", pii="drop", kind="free"),
            Field("birthday", source="生日", required=False, pii="month_day", kind="free"),
            Field("store_code", source="注册门店", kind="id"),
            Field("registered_at", "local_ts", source="注册时间"),
            Field("guide_userid", source="专属导购", required=False, kind="id"),
        ),
        key=("card_no",),
    ),
)
