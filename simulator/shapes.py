"""The legitimate variations the platforms send, each named once with the outcome a loader owes it.

None of these is a defect (issue 11, item 4): a row in any of these shapes loads (or, for the
re-serialised retries, is dropped as the duplicate it is), so a brand whose exports look like this
loads with zero quarantine. `_truth/shapes.csv` counts every shape against what it could have hit;
row-level delivery quirks that name a row (late events, Excel text ids …) are also listed row by
row in `_truth/defects.csv` with expected outcome `loaded`.
"""

from __future__ import annotations

import random

from .defects import EXPECTED as DEFECTS

# shape → (unit it is counted in, what it is)
SHAPES = {
    # Free text and optional ids as the APIs return them when nobody filled them in.
    "empty_remark": ("row", 'a remark is "" (nobody wrote one: WeCom follow_info, OA user)'),
    "empty_description": ("row", 'follow_info.description is "" (no description written)'),
    "empty_group_name": ("row", 'group_chat.name is "" (a group nobody named)'),
    "empty_notice": ("row", 'group_chat.notice is ""'),
    "empty_group_nickname": ("row", 'a member\'s group_nickname is ""'),
    "blank_optional_id": ("row", 'an optional id or code sent as "" (unionid, outer_user_id, EventKey …)'),
    "blank_optional_time": ("row", 'an optional time sent as "" (Youzan pay_time before payment …)'),
    "absent_optional": ("row", "an optional key left out altogether"),
    # Types as the platforms send them.
    "string_booleans": ("row", 'booleans as "true"/"false" strings (Youzan is_present, is_offline_order)'),
    "xml_strings": ("row", "a callback converted from XML: every number a string"),
    "encrypted_phone": ("row", "buyer_phone encrypted ($…$1$): never a linking key"),
    # Keys the contracts do not read, some with personal data that must not be kept.
    "extra_keys": ("row", "keys sources.md does not list (the platform's other fields)"),
    "unread_personal_data": ("row", "an address, receiver, buyer message or ID-card number in an unread key"),
    "key_order": ("row", "the record's keys in another order"),
    # Deliveries.
    "late_event": ("row", "an event in a later day's folder (1–3 days)"),
    "test_account": ("row", "a record of an org/test_account id"),
    "excel_text_id": ("row", 'Tmall 订单编号 written ="…"'),
    "yuan_suffix": ("row", "Tmall amounts written with 元"),
    "retry_reordered": ("row", "an exact retry serialised with another key order"),
    "retry_escaped": ("row", "an exact retry serialised with \\u escapes and spaces"),
    "bom_file": ("file", "UTF-8 with a BOM"),
    "gbk_file": ("file", "GBK (Tmall console)"),
    "gb18030_file": ("file", "GB18030 (POS)"),
    "crlf_file": ("file", "a JSONL file with CRLF line ends"),
    "split_part": ("file", "one part of a day delivered in several files"),
    "group_file": ("file", "one group chat per JSON file (pretty-printed)"),
    "snapshot_skipped": ("day", "a scheduled snapshot day with no delivery: the previous snapshot holds"),
}
EXPECTED = {**DEFECTS, **{s: "loaded" for s in SHAPES}, "retry_reordered": "duplicate",
            "retry_escaped": "duplicate"}


def reorder(node, rng: random.Random, depth: int = 3):
    """The same record with its keys in another order, down to `depth` levels of objects."""
    if not isinstance(node, dict) or depth == 0:
        return node
    keys = list(node)
    rng.shuffle(keys)
    return {k: reorder(node[k], rng, depth - 1) for k in keys}
