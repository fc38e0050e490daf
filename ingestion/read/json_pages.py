"""API responses stored whole: a collector that writes each page a platform returns
(`{"errcode":0,"external_contact_list":[…],"next_cursor":"…"}`, `{"code":0,"data":{"list":[…]}}`)
instead of one record per line. Each page is cut into the records it holds, at the key paths the
entity's contract names (`Contract.pages`); a page of N records was one quarantined row before.

A line is looked at only when it names a page key (one RE2 scan of the block, ~5 ms for 7 MB of
Youzan orders: under 1 % of loading them); it is then parsed with the standard library's `json`,
which keeps integers of any size exactly, and each record is written back as compact JSON. The
record's values are what they were: DuckDB reads numbers the same way from either text (`12.50` is
12.5 both ways).
"""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pyarrow.compute as pc

from ingestion.contracts import Page


def unwrap_pages(lines: pa.Array, pages: tuple[Page, ...]) -> pa.Array:
    """Each line that is an API page as one line per record it holds; every other line as it is."""
    if not pages or not len(lines):
        return lines
    keys = sorted({re.escape(p.key) for p in pages})
    hits = pc.match_substring_regex(lines, '"(?:' + "|".join(keys) + ')"')
    if not pc.any(hits).as_py():
        return lines
    out: list[str | None] = []
    for line, hit in zip(lines.to_pylist(), hits.to_pylist(), strict=True):
        records = page_records(line, pages) if hit else None
        if records is None:
            out.append(line)
        else:
            out.extend(records)
    return pa.array(out, lines.type)


def page_records(text: str, pages: tuple[Page, ...]) -> list[str] | None:
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
        if isinstance(value, dict) and not page.item and not page.take:
            return [_text(value)]
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            # an item that is no object is a record of its own, quarantined as not a JSON object
            return [_text(_record(doc, page, v) if isinstance(v, dict) else v) for v in value]
        if value == []:
            return []
    return None


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
