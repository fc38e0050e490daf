"""Nested JSON fields with declared items (order lines, group members): each object of the list is cut down to
the keys its contract reads, every kept value converted by its item field's type and kind, and a
row whose object lacks a required key, or holds an unreadable value, gets a reason naming the
nested key (`sku_order_list[].order_id`).

Only declared keys are stored: platforms put personal data beside what the product reads (Youzan's
per-line buyer messages hold names, phones and ID-card numbers; group members carry nicknames).
Values are written in one canonical form — an empty id is null, "true" is true, 元 a two-decimal
string, 分 and codes integers — so the same record in other bytes stores the same text.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import numpy as np
import orjson
import pyarrow as pa

from ingestion.contracts import Field
from ingestion.normalise import convert as cv
from ingestion.normalise.personal import hash_id, mask_text

CENT = Decimal("0.01")
MAX_YUAN = Decimal(10) ** 16  # DECIMAL(18,2)


class ItemError(Exception):
    def __init__(self, reason: str, key: str):
        super().__init__(reason)
        self.reason, self.key = reason, key


def items_column(f: Field, raw, excel: bool, salt: bytes) -> cv.Col:
    """The field's values as canonical JSON text of the declared keys, with per row a code and,
    for a bad row, the nested key at fault."""
    if isinstance(raw, pa.Array):
        raw = (cv.as_text(raw, True, True) if excel else raw).to_pylist()
    n = len(raw)
    codes = np.zeros(n, np.int8)
    notes: dict[int, str] = {}
    out: list[bytes | None] = []
    for i, v in enumerate(raw):
        try:
            value = orjson.loads(v) if isinstance(v, str | bytes) and v.strip() else v
            if isinstance(v, str | bytes) and not v.strip():
                value = None
            out.append(None if value is None else orjson.dumps(project(f, value, salt)))
        except orjson.JSONDecodeError:
            codes[i], notes[i] = cv.CODE["unparseable_value"], f.path
            out.append(None)
        except ItemError as e:
            codes[i], notes[i] = cv.CODE[e.reason], e.key
            out.append(None)
    present = np.array([v is not None for v in out], bool) | (codes != 0)
    return cv.Col(pa.array(out, pa.binary()).cast(pa.string()), codes, present, notes=notes)


def project(f: Field, value, salt: bytes) -> list:
    """A list of objects reduced to the declared keys, converted."""
    if not isinstance(value, list):
        raise ItemError("unparseable_value", f.path)  # staging unnests a list: an object is no list
    objects = [_object(f, v, f"{f.path}[]", salt) for v in value]
    if f.items_key:
        keys = [tuple(_get(o, k) for k in f.items_key) for o in objects]
        if len(set(keys)) < len(keys):
            raise ItemError("duplicate_nested_key", f"{f.path}[].{'+'.join(f.items_key)}")
    return objects


def _object(f: Field, obj, where: str, salt: bytes) -> dict:
    if not isinstance(obj, dict):
        raise ItemError("unparseable_value", where)
    out: dict = {}
    for item in f.items:
        key = f"{where}.{item.path}"
        v = _get(obj, item.path)
        v = _convert(item, v, key, salt)
        if v is None:
            if item.required:
                raise ItemError("missing_required_field", key)
            continue
        _put(out, item.path, v)
    return out


def _get(obj: dict, path: str):
    for part in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def _put(out: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    for part in parents:
        out = out.setdefault(part, {})
    out[last] = value


def _convert(item: Field, v, key: str, salt: bytes):
    if v is None:
        return None
    t = item.type
    if isinstance(v, dict | list):
        raise ItemError("unparseable_value", key)
    if t == "text":
        s = str(v) if not isinstance(v, bool) else ("true" if v else "false")
        if item.kind == "free":
            return mask_text(s)
        s = s.strip()
        if item.kind == "id" and s:
            return hash_id(s, salt)
        return s or None  # an identifier or code is never ""
    if isinstance(v, str):
        v = v.strip()
        if v == "":
            return None
    if t == "bool":
        if isinstance(v, bool):
            return v
        s = str(v).lower()
        if s in cv.TRUE or s in cv.FALSE:
            return s in cv.TRUE
        raise ItemError("unparseable_value", key)
    if t in ("int", "epoch_s", "epoch_ms", "fen"):
        n = _integer(v, key, "unparseable_amount" if t == "fen" else "unparseable_value")
        if t == "fen" and n < 0:
            raise ItemError("negative_amount", key)
        if item.enum is not None and n not in item.enum:
            raise ItemError("unknown_enum_value", key)
        return n
    if t == "yuan":
        try:
            d = Decimal(str(v).replace(",", "").removesuffix("元")).quantize(CENT)
        except InvalidOperation:
            raise ItemError("unparseable_amount", key) from None
        if not d.is_finite() or abs(d) >= MAX_YUAN:
            raise ItemError("unparseable_amount", key)
        if d < 0:
            raise ItemError("negative_amount", key)
        return f"{d:.2f}"
    raise ValueError(f"{key}: item type {t} is not supported in nested fields")


def _integer(v, key: str, reason: str) -> int:
    if isinstance(v, bool):
        raise ItemError(reason, key)
    if isinstance(v, int):
        return v
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        raise ItemError(reason, key) from None
    if not d.is_finite() or d != d.to_integral_value():
        raise ItemError(reason, key)
    return int(d)
