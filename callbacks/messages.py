"""A pushed message (XML, or JSON when the OA is set to JSON) into the JSON line docs/sources.md
specifies, or into nothing when it is not an event the warehouse reads.

The line carries the contract's keys under the platforms' own element names (`ToUserName`,
`ChangeType`, `EventKey`…), in the contract's order, only those present; numbers the contract reads
as numbers (`CreateTime`, 整型 on both reference pages) become JSON integers. Elements the contract
does not read (`AgentID`, the OA's `Ticket`, a text message's `Content`) are not kept: a user's own
words never reach the landing.

Which messages land, from the contracts themselves (ingestion/contracts):
- wecom/contact_event: `Event = change_external_contact` with a `ChangeType` the contract knows
  (add/half-add/edit/delete/delete-follow/transfer-fail, developer.work.weixin.qq.com/document/path/92130);
  the same URL also gets group-chat and tag events and `msg_audit_approved`, which are answered and dropped;
- oa/event: `MsgType = event` with `Event` subscribe, unsubscribe, SCAN, CLICK or VIEW
  (Receiving_event_pushes.html); users' messages, LOCATION and template-send reports are dropped.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from ingestion.contracts import get

from .crypto import Refused

MAX_BODY = 64 * 1024  # bytes; the documented pushes are under 1 KB (WeCom's sample POST: 613 bytes)
_NUMBERS = ("int", "epoch_s")


def parse(body: bytes) -> dict[str, object]:
    """The top-level fields of an XML `<xml>…</xml>` message or a JSON object."""
    text = body.strip()
    if text.startswith(b"{"):
        try:
            fields = json.loads(text)
        except (UnicodeDecodeError, ValueError):
            raise Refused("unparseable JSON") from None
        if not isinstance(fields, dict):
            raise Refused("JSON message is not an object")
        return fields
    # The platforms send no document type; one here could only define entities (expat ≥ 2.4.1
    # already caps their expansion, this refuses them outright).
    if b"<!DOCTYPE" in text.upper() or b"<!ENTITY" in text.upper():
        raise Refused("XML with a document type")
    try:
        root = ET.fromstring(text)
    except (ET.ParseError, ValueError):  # ValueError: an encoding expat cannot read
        raise Refused("unparseable XML") from None
    return {child.tag: child.text or "" for child in root if len(child) == 0}


def _lands(source: str, entity: str, fields: dict[str, object]) -> bool:
    enums = {f.source or f.name: f.enum for f in get(source, entity).fields}
    if (source, entity) == ("wecom", "contact_event"):
        return (fields.get("Event") == "change_external_contact"
                and fields.get("ChangeType") in enums["ChangeType"])
    return fields.get("MsgType") == "event" and fields.get("Event") in enums["Event"]


def kind(fields: dict[str, object]) -> str:
    """What a message is, for the log: its type names only (no id, no content), at most 80 characters."""
    parts = (fields.get("MsgType"), fields.get("Event"), fields.get("ChangeType"))
    return "/".join(str(p) for p in parts if p not in (None, ""))[:80] or "unknown"


def to_line(source: str, entity: str, fields: dict[str, object]) -> dict[str, object] | None:
    """The landing line of a message, or None when the entity does not read it."""
    if not _lands(source, entity, fields):
        return None
    line: dict[str, object] = {}
    for f in get(source, entity).fields:
        key = f.source or f.name
        if key not in fields:
            continue
        value = fields[key]
        if f.type in _NUMBERS and isinstance(value, str) and value.strip().isdigit():
            value = int(value)  # an unparseable time stays as sent: the loader quarantines it, counted
        line[key] = value
    return line

