"""mp: the brand's mini program (小程序): its own back end and tracking."""

from .model import Contract, Field

CONTRACTS = (
    Contract(
        "mp", "user", "snapshot", ("jsonl", "json"),
        (
            Field("openid"),
            Field("unionid", required=False),
            Field("phone_number", "phone", required=False),
            Field("country_code", required=False),
            Field("created_at", "epoch_ms"),
        ),
        key=("openid",),
    ),
    Contract(
        "mp", "event", "events", ("jsonl", "json"),
        (
            Field("event_id"),
            Field("openid"),
            Field("event", enum=("page_view", "add_to_cart", "share", "share_open", "checkout")),
            Field("page_path"),
            Field("scene"),
            Field("share_from_openid", required=False),
            Field("utm_source", required=False),
            Field("utm_medium", required=False),
            Field("utm_campaign", required=False),
            Field("ts", "epoch_ms"),
        ),
        key=("event_id",),
    ),
)
