"""mp: the brand's mini program (小程序): its own back end and tracking."""

from .model import Contract, Field

CONTRACTS = (
    Contract(
        "mp", "user", "snapshot", ("jsonl", "json"),
        (
            Field("openid", kind="id"),
            Field("unionid", required=False, kind="id"),
            Field("phone_number", "phone", required=False),
            Field("country_code", required=False, kind="code"),
            Field("created_at", "epoch_ms"),
        ),
        key=("openid",),
    ),
    Contract(
        "mp", "event", "events", ("jsonl", "json"),
        (
            Field("event_id", kind="id"),
            Field("openid", kind="id"),
            Field("event", enum=("page_view", "add_to_cart", "share", "share_open", "checkout"), kind="code"),
            Field("page_path", kind="free", pii="path"),
            Field("scene", kind="code"),
            Field("share_from_openid", required=False, kind="id"),
            Field("utm_source", required=False, kind="code"),
            Field("utm_medium", required=False, kind="code"),
            Field("utm_campaign", required=False, kind="code"),
            Field("ts", "epoch_ms"),
        ),
        key=("event_id",),
    ),
)
