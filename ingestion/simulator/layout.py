"""Where each entity lands: file names, formats and encodings, as the platforms export them."""

from __future__ import annotations

import random

from ingestion.contracts import CONTRACTS

from .clock import day_str

FILES = {
    ("org", "employee"): "employee.csv", ("org", "store"): "store.csv",
    ("org", "channel_code"): "channel_code.csv",
    ("org", "product"): "product.csv", ("org", "test_account"): "test_account.csv",
    ("wecom", "external_contact"): "batch_get_by_user.jsonl", ("wecom", "contact_event"): "callbacks.jsonl",
    ("wecom", "group_chat"): "groupchat_get.jsonl", ("wecom", "user_behavior"): "user_behavior_data.jsonl",
    ("wecom", "groupmsg_send"): "groupmsg_send_result.jsonl", ("wecom", "message"): "msgaudit.jsonl",
    ("oa", "user"): "user_info.jsonl", ("oa", "event"): "event_push.jsonl",
    ("mp", "user"): "users.jsonl", ("mp", "event"): "tracking.jsonl",
    ("youzan", "trade"): "trades.jsonl", ("youzan", "refund"): "refunds.jsonl",
    ("douyin", "order"): "orders.jsonl", ("douyin", "after_sale"): "after_sales.jsonl",
    ("tmall", "trade"): "ExportOrderList{ymd}.csv", ("tmall", "member"): "member_binding_{ymd}.csv",
    ("pos", "receipt"): "receipts_{ymd}.csv", ("pos", "member"): "members_{ymd}.csv",
    ("leads", "oceanengine"): "clues_{ymd}.csv", ("ads", "spend"): "spend_{ymd}.csv",
    ("fission", "invitation"): "invitations.jsonl",
}
# Tmall's "latest file wins" rule would let a stale copy override a newer export, and spend rows are
# dated by their own column: neither arrives late or is retried.
NO_DELAY = {("tmall", "trade"), ("ads", "spend")}
FILE_DEFECTS = {"gbk": "gbk_file", "gb18030": "gb18030_file", "utf-8-sig": "bom_file"}
# Ad platforms hand out Excel workbooks: every fourth day's spend export is .xlsx (a spreadsheet cannot
# hold a row with a missing trailing cell, so those files get no wrong_field_count copies).
XLSX_EVERY = {("ads", "spend"): 4}


def is_table(src: str, ent: str) -> bool:
    return FILES[(src, ent)].endswith(".csv")


def is_xlsx(src: str, ent: str, day: int) -> bool:
    every = XLSX_EVERY.get((src, ent))
    return every is not None and day % every == 0


def rel_path(src: str, ent: str, day: int) -> str:
    """`<source>/<entity>/<YYYY-MM-DD>/<name>` relative to the landing root."""
    name = FILES[(src, ent)].format(ymd=day_str(day).replace("-", ""))
    if is_xlsx(src, ent, day):
        name = name[: -len(".csv")] + ".xlsx"
    return f"{src}/{ent}/{day_str(day)}/{name}"


def encoding(src: str, ent: str, day: int, seed: int, bom_rate: float) -> str:
    """Tmall's console exports GBK, POS systems GB18030; Excel saves some UTF-8 CSVs with a BOM."""
    if src == "tmall":
        return "gbk"
    if src == "pos":
        return "gb18030"
    if not is_table(src, ent):
        return "utf-8"
    if (src, ent) == ("org", "store"):
        return "utf-8-sig"
    bom = random.Random(f"{seed}:bom:{src}/{ent}/{day}").random() < bom_rate
    return "utf-8-sig" if bom else "utf-8"


assert set(FILES) == set(CONTRACTS), "every contract needs a landing file name"
