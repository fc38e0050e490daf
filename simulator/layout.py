"""Where each entity lands: file names, formats and encodings, as the platforms export them."""

from __future__ import annotations

import random

from .clock import day_str
from .platform import SPECS

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
FILE_SHAPES = {"gbk": "gbk_file", "gb18030": "gb18030_file", "utf-8-sig": "bom_file"}
# Ad platforms hand out Excel workbooks: every fourth day's spend export is .xlsx (a spreadsheet cannot
# hold a row with a missing trailing cell, so those files get no wrong_field_count copies).
XLSX_EVERY = {("ads", "spend"): 4}


def is_table(src: str, ent: str) -> bool:
    return FILES[(src, ent)].endswith(".csv")


def is_xlsx(src: str, ent: str, day: int) -> bool:
    every = XLSX_EVERY.get((src, ent))
    return every is not None and day % every == 0


def rel_path(src: str, ent: str, day: int, part: str = "") -> str:
    """`<source>/<entity>/<YYYY-MM-DD>/<name>` relative to the landing root. A day split in parts
    names them `<stem>-001.jsonl`, `-002` …; a group chat delivered alone is `groupchat_<chat_id>.json`."""
    name = FILES[(src, ent)].format(ymd=day_str(day).replace("-", ""))
    if is_xlsx(src, ent, day):
        name = name[: -len(".csv")] + ".xlsx"
    if part.startswith("g:"):
        name = f"groupchat_{part[2:]}.json"
    elif part:
        stem, ext = name.rsplit(".", 1)
        name = f"{stem}-{part}.{ext}"
    return f"{src}/{ent}/{day_str(day)}/{name}"


def encoding(src: str, ent: str, rel: str, seed: int, bom_rate: float, jsonl_bom_rate: float) -> str:
    """Tmall's console exports GBK, POS systems GB18030; Excel saves some UTF-8 CSVs with a BOM, and
    an editor the odd JSONL file."""
    if src == "tmall":
        return "gbk"
    if src == "pos":
        return "gb18030"
    if (src, ent) == ("org", "store"):
        return "utf-8-sig"
    rate = bom_rate if is_table(src, ent) else jsonl_bom_rate
    bom = random.Random(f"{seed}:bom:{rel}").random() < rate
    return "utf-8-sig" if bom else "utf-8"


def crlf(rel: str, seed: int, rate: float) -> bool:
    """CSV exports always end lines with CRLF (Excel, the consoles); a JSONL file only when a Windows
    collector wrote it."""
    if not rel.endswith(".jsonl"):
        return rel.endswith(".csv")
    return random.Random(f"{seed}:crlf:{rel}").random() < rate


assert {f"{s}/{e}" for s, e in FILES} == {k for k in SPECS if "#" not in k}, "every entity needs a file name"
