"""org: the brand's own master data (snapshots, CSV)."""

from .model import Contract, Field

CSV = ("csv", "xlsx")

CONTRACTS = (
    Contract(
        "org", "employee", "snapshot", CSV,
        (
            Field("userid", description="WeCom userid of the employee", kind="id"),
            Field("name", pii="drop", kind="free"),
            Field("store_code", kind="id"),
            Field("role", enum=("guide", "manager", "service"), kind="code"),
            Field("pos_cashier_code", required=False, kind="id"),
            Field("mobile", "phone", required=False),
            Field("status", enum=("active", "left"), kind="code"),
        ),
        key=("userid",),
    ),
    Contract(
        "org", "store", "snapshot", CSV,
        (
            Field("store_code", kind="id"),
            Field("store_name", kind="free"),
            Field("city", kind="free"),
            Field("region", kind="free"),
            Field("open_date", "date"),
        ),
        key=("store_code",),
    ),
    Contract(
        "org", "channel_code", "snapshot", CSV,
        (
            Field("code", kind="id",
                  description="a WeCom state, OA qr_scene_str, utm_campaign, promotion_id or ad campaign_id"),
            Field("channel", kind="code"),
            Field("campaign_id", kind="id"),
            Field("campaign_name", kind="free"),
            Field("description", required=False, kind="free"),
        ),
        key=("code",),
    ),
    Contract(
        "org", "product", "snapshot", CSV,
        (
            Field("sku", kind="id"),
            Field("title", kind="free"),
            Field("category", kind="free"),
            Field("list_price", "yuan"),
            Field("is_trial", "bool"),
        ),
        key=("sku",),
    ),
    Contract(
        "org", "test_account", "snapshot", CSV,
        (
            Field("id_type", kind="code"),
            # A test phone is stored as its keyed hash like every other phone.
            Field("id_value", kind="id",
                  phone_when=("id_type", ("phone", "mobile", "phone_number", "telephone")),
                  format_when=("id_type", (("openid", "openid"), ("external_userid", "external_userid")))),
            Field("note", required=False, kind="free"),
        ),
        key=("id_type", "id_value"),
    ),
)
