"""Where each person identifier lives in the raw tables: which column of which entity holds a value
of which identity-graph id type (the types of `int_identity__pairs` and the
`identity_id_type_aliases` seed), and in what shape. Erasure (orchestration/forget.py) deletes by
these columns and the loader's suppression (ingestion/erasure/suppression.py) drops re-delivered records
by them; tests/ingestion/test_suppression.py holds every `kind="id"` field of every contract to
either this map or NOT_PERSON_IDS, so a new contract's identifier cannot be forgotten silently.

Shapes: `value` a column of one value; `list` a VARCHAR[] column (phone hashes); `items` a JSON
list of objects, the id under `key` (group members); `strings` a JSON list of ids (a message's
recipients). A record naming the person in a value or list column is the person's and goes whole;
a list item naming them is removed from the list, and the record goes only if its list empties
(a one-to-one message) — a group chat stays for its other members.

`record` types are not people: the ids of a person's orders, so that a refund or an after-sale
naming only the order goes with it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


@dataclass(frozen=True)
class IdColumn:
    column: str
    id_type: str
    shape: str = "value"  # value | list | items | strings
    key: str | None = None  # items: the item key holding the id
    when: tuple[str, tuple[str, ...]] | None = None  # only on rows whose column has one of these values


PHONE = "phone"
# The order ids that carry a person's refunds and after-sales along with their orders.
RECORD_TYPES = ("youzan_tid", "douyin_order_id")


def _test_account_columns() -> tuple[IdColumn, ...]:
    """org/test_account names an identifier by (id_type alias, id_value): one entry per id type."""
    by_type: dict[str, list[str]] = {}
    for alias, id_type in aliases().items():
        for t in id_type:
            by_type.setdefault(t, []).append(alias)
    return tuple(
        IdColumn("id_value", t, when=("id_type", tuple(sorted(a)))) for t, a in sorted(by_type.items())
    )


@cache
def aliases() -> dict[str, tuple[str, ...]]:
    """alias -> id types, from the seed the identity models read (`openid` names two types)."""
    out: dict[str, list[str]] = {}
    with open(SEEDS_DIR / "identity_id_type_aliases.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["alias"], []).append(row["id_type"])
    return {alias: tuple(types) for alias, types in out.items()}


def id_types() -> tuple[str, ...]:
    """The person id types forget accepts (aliases aside)."""
    return tuple(sorted({t for types in aliases().values() for t in types}))


ID_COLUMNS: dict[tuple[str, str], tuple[IdColumn, ...]] = {
    ("org", "employee"): (IdColumn("mobile_hash", PHONE),),
    ("wecom", "external_contact"): (
        IdColumn("external_userid", "external_userid"),
        IdColumn("unionid", "unionid"),
        IdColumn("remark_mobiles_hashes", PHONE, "list"),
    ),
    ("wecom", "contact_event"): (IdColumn("external_userid", "external_userid"),),
    ("wecom", "group_chat"): (
        IdColumn("member_list", "external_userid", "items", "userid"),
        IdColumn("member_list", "unionid", "items", "unionid"),
    ),
    ("wecom", "groupmsg_send"): (IdColumn("external_userid", "external_userid"),),
    ("wecom", "message"): (
        IdColumn("from_id", "external_userid"),
        IdColumn("tolist", "external_userid", "strings"),
    ),
    ("oa", "user"): (IdColumn("openid", "oa_openid"), IdColumn("unionid", "unionid")),
    ("oa", "event"): (IdColumn("openid", "oa_openid"),),
    ("mp", "user"): (
        IdColumn("openid", "mp_openid"),
        IdColumn("unionid", "unionid"),
        IdColumn("phone_number_hash", PHONE),
    ),
    ("mp", "event"): (IdColumn("openid", "mp_openid"), IdColumn("share_from_openid", "mp_openid")),
    ("youzan", "trade"): (
        IdColumn("yz_open_id", "yz_open_id"),
        IdColumn("buyer_phone_hash", PHONE),
        IdColumn("outer_user_id", "mp_openid"),
        IdColumn("tid", "youzan_tid"),
    ),
    ("youzan", "refund"): (IdColumn("tid", "youzan_tid"),),
    ("douyin", "order"): (
        IdColumn("doudian_open_id", "doudian_open_id"),
        IdColumn("mask_post_tel_hash", PHONE),
        IdColumn("order_id", "douyin_order_id"),
    ),
    ("douyin", "after_sale"): (IdColumn("order_id", "douyin_order_id"),),
    ("tmall", "trade"): (IdColumn("buyer_nick", "tmall_buyer_nick"), IdColumn("receiver_phone_hash", PHONE)),
    ("tmall", "member"): (
        IdColumn("member_id", "tmall_member_id"),
        IdColumn("buyer_nick", "tmall_buyer_nick"),
        IdColumn("phone_hash", PHONE),
    ),
    ("pos", "receipt"): (IdColumn("card_no", "pos_card_no"), IdColumn("phone_hash", PHONE)),
    ("pos", "member"): (IdColumn("card_no", "pos_card_no"), IdColumn("phone_hash", PHONE)),
    ("leads", "oceanengine"): (IdColumn("clue_id", "clue_id"), IdColumn("telephone_hash", PHONE)),
    ("fission", "invitation"): (
        IdColumn("inviter_unionid", "unionid"),
        IdColumn("inviter_external_userid", "external_userid"),
        IdColumn("invitee_unionid", "unionid"),
        IdColumn("invitee_external_userid", "external_userid"),
    ),
}

# Identifier fields that name no customer: the brand's own codes, staff, groups, orders' lines, ads.
NOT_PERSON_IDS = {
    "userid",
    "store_code",
    "pos_cashier_code",
    "code",
    "campaign_id",
    "sku",
    "oper_userid",
    "to_user_name",
    "welcome_code",
    "chat_id",
    "owner",
    "msgid",
    "roomid",
    "switch_user",
    "event_id",
    "cashier_id",
    "refund_id",
    "oid",
    "aftersale_id",
    "order_no",
    "receipt_no",
    "cashier_code",
    "original_receipt_no",
    "guide_userid",
    "advertiser_id",
    "promotion_id",
    "account_id",
    "member_list[].invitor_userid",
    "orders[].oid",
    "orders[].outer_sku_id",
    "sku_order_list[].order_id",
    "sku_order_list[].parent_order_id",
    "sku_order_list[].code",
    "sku_order_list[].author_id",
    "sku_order_list[].room_id",
    "sku_order_list[].video_id",
}


def person_columns(source: str, entity: str) -> set[str]:
    """Columns whose value names a person: never shown in check results, logs or run metadata."""
    return {c.column for c in columns_of(source, entity) if c.id_type not in RECORD_TYPES}


def columns_of(source: str, entity: str) -> tuple[IdColumn, ...]:
    cols = ID_COLUMNS.get((source, entity), ())
    return _test_account_columns() if (source, entity) == ("org", "test_account") else cols
