"""API responses stored whole: a collector that writes each page a platform returns
(`{"errcode":0,"external_contact_list":[…],"next_cursor":"…"}`, `{"code":0,"data":{"list":[…]}}`)
instead of one record per line. Each page is cut into the records it holds, at the key paths the
entity's contract names (`Contract.pages`); a page of N records was one quarantined row before.
An error response (any JSON entity's) is quarantined `api_error_response`, naming what it says.

A line is looked at only when it names a page key or an envelope's (one RE2 scan of the block:
0.15-0.19 s for 180 MB of Youzan orders or chat metadata, where cutting them into lines takes
0.17-0.53 s); it is then parsed with the standard library's `json`, which keeps integers of any size
exactly, and each record is written back as compact JSON. The record's values are what they were:
DuckDB reads numbers the same way from either text (`12.50` is 12.5 both ways).
"""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pyarrow.compute as pc

from ingestion.contracts import Contract, Page
from ingestion.normalise.personal import mask_text

# A line standing for an API's error response (`{"errcode":40001,"errmsg":"invalid credential"}`):
# the marker, then what the platform said. json_reader quarantines it as `api_error_response`.
API_ERROR = "\ue000api_error\ue000"
# Keys only a response envelope carries (WeCom and WeChat, Douyin, Ocean Engine, Youzan), and the
# keys of its message
_ENVELOPE_KEYS = ("errcode", "sub_code", "request_id", "trace_id", "gw_err_resp", "success")
_MESSAGE_KEYS = ("errmsg", "sub_msg", "msg", "message", "err_msg")
SHOWN_CHARS = 120


def unwrap_pages(lines: pa.Array, contract: Contract) -> pa.Array:
    """Each line that is an API page as one line per record it holds, an API error response as an
    API_ERROR line; every other line as it is."""
    pages = contract.pages
    if not len(lines):
        return lines
    keys = sorted({re.escape(k) for k in (*(p.key for p in pages), *_ENVELOPE_KEYS)})
    hits = pc.match_substring_regex(lines, '"(?:' + "|".join(keys) + ')"')
    if not pc.any(hits).as_py():
        return lines
    tops = {f.path.split(".")[0] for f in contract.fields} | ({contract.root} if contract.root else set())
    out: list[str | None] = []
    for line, hit in zip(lines.to_pylist(), hits.to_pylist(), strict=True):
        records = page_records(line, pages, tops) if hit else None
        if records is None:
            out.append(line)
        else:
            out.extend(records)
    return pa.array(out, lines.type)


def page_records(text: str, pages: tuple[Page, ...], tops: set[str] = frozenset()) -> list[str] | None:
    """The records of a page as JSON texts, or None when the text is no page (a record itself, or
    not JSON: it is then read, or quarantined, as any line is). The first of `pages` found wins:
    a list there is a record per item in it (an empty list, a page with no records, is none),
    an object there is one record (`Page` says how an object is made a record)."""
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    for page in pages:
        if page.path:
            value = _at(doc, page.path)
        else:  # the line is itself an item
            value = [doc] if isinstance(doc.get(page.take), dict) else None
        one = isinstance(value, dict) and not page.item and not page.take
        if one and (not tops or not tops.isdisjoint(value)):  # an object holding a record's keys
            return [_text(value)]
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            # an item that is no object is a record of its own, quarantined as not a JSON object
            return [_text(_record(doc, page, v) if isinstance(v, dict) else v) for v in value]
        if value == []:
            return []
    if tops.isdisjoint(doc) and _failed(doc):
        return [API_ERROR + _message(doc)]  # no record's key, and the envelope says the call failed
    return None


def _failed(doc: dict) -> bool:
    """Whether a response envelope says its call failed: WeCom's and WeChat's errcode, Youzan's
    success flag or gateway error, Douyin's sub_code, a code other than a platform's success code."""
    if doc.get("errcode") not in (None, 0, "0") or doc.get("success") is False or "gw_err_resp" in doc:
        return True
    if doc.get("sub_code") not in (None, ""):
        return True
    return "code" in doc and doc["code"] not in (0, 200, 10000, "0", "200", "10000")


def _message(doc: dict) -> str:
    """What an error response says: its codes and messages, personal data masked, cut short."""
    parts = []
    for node in (doc, doc.get("gw_err_resp"), doc.get("data") if isinstance(doc.get("data"), dict) else None):
        if not isinstance(node, dict):
            continue
        for key in ("errcode", "code", "err_code", "sub_code", *_MESSAGE_KEYS):
            value = node.get(key)
            if value not in (None, "") and not isinstance(value, dict | list):
                parts.append(f"{key} {value}")
    text = mask_text("; ".join(parts)) or "no error code or message"
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _at(doc, path: str):
    for key in path.split("."):
        doc = doc.get(key) if isinstance(doc, dict) else None
    return doc


def _record(doc: dict, page: Page, item: dict) -> dict:
    if page.take:
        record = item.get(page.take)
        record = dict(record) if isinstance(record, dict) else {}
        for key, path in page.adds:
            if key not in record:
                record[key] = _at(item, path)
        return record
    for key, lst, fld in page.lists:
        if key not in item and isinstance(item.get(lst), list):
            item[key] = [x[fld] for x in item[lst] if isinstance(x, dict) and x.get(fld) is not None]
    if not page.item:
        return item
    return {**{b: doc[b] for b in page.beside if b in doc}, page.item: item}


def _text(record) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
