"""org: the brand's own master data (snapshots, CSV)."""

from .model import Contract, Field

CSV = ("csv", "xlsx")

CONTRACTS = (
    Contract(
        "org", "employee", "snapshot", CSV,
        (
            Field("userid", description="WeCom userid of the employee"),
            Field("name", pii="drop"),
            Field("store_code"),
            Field("role", enum=("guide", "manager", "service")),
            Field("pos_cashier_code", required=False),
            Field("mobile", "phone", required=False),
            Field("status", enum=("active", "left")),
        ),
        key=("userid",),
    ),
    Contract(
        "org", "store", "snapshot", CSV,
        (
            Field("store_code"),
            Field("store_name"),
            Field("city"),
            Field("region"),
            Field("open_date", "date"),
        ),
        key=("store_code",),
    ),
    Contract(
        "org", "channel_code", "snapshot", CSV,
        (
            Field("code", description="a WeCom state, OA qr_scene_str, utm_campaign, promotion_id or ad campaign_id"),
            Field("channel"),
            Field("campaign_id"),
            Field("campaign_name"),
            Field("description", required=False),
        ),
        key=("code",),
    ),
    Contract(
        "org", "product", "snapshot", CSV,
        (
            Field("sku"),
            Field("title"),
            Field("category"),
            Field("list_price", "yuan"),
            Field("is_trial", "bool"),
        ),
        key=("sku",),
    ),
    Contract(
        "org", "test_account", "snapshot", CSV,
        (
            Field("id_type"),
            # A test phone is stored as its keyed hash like every other phone.
            Field("id_value", phone_when=("id_type", ("phone", "mobile", "phone_number", "telephone"))),
            Field("note", required=False),
        ),
        key=("id_type", "id_value"),
    ),
)
