"""Field types converted per value in Python: phones (hashed, cached per distinct value), phone
lists and nested JSON (personal keys dropped). They are a few columns of a few entities."""

from __future__ import annotations

import re

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.contracts import Field
from ingestion.normalise import convert as cv
from ingestion.normalise.nested import items_column
from ingestion.normalise.phone_columns import PhoneHasher

# A phone list exported as text: '13812345678,13912345678' or with 、/；/spaces between numbers.
_LIST_SEPARATORS = re.compile(r"[,;，；、/|\s]+")


def python_field(f: Field, raw: list, excel: bool, hasher: PhoneHasher) -> cv.Col:
    """Phones, phone lists and JSON: per value in Python (phones cached per distinct value)."""
    n = len(raw)
    codes = np.zeros(n, np.int8)
    if f.type == "phone":
        arr = cv.to_arrow(raw)
        if excel or pa.types.is_string(arr.type):
            arr = cv.as_text(arr, excel, True)
        values = hasher.column(arr)
        return cv.Col(values, codes, cv.np_bool(pc.not_equal(values["_kind"], "empty")))
    if f.type == "json" and f.items:
        return items_column(f, raw, excel, hasher.salt)
    if f.type == "json" and isinstance(raw, pa.Array) and not excel:
        return cv.Col(raw, codes, cv.np_bool(raw.is_valid()))  # JSON text from the JSON reader, kept as is
    if f.type == "phone_list":  # values as read: an export's blank cell is an empty list
        return _phone_list(raw, hasher)
    if isinstance(raw, pa.Array):
        raw = (cv.as_text(raw, True, True) if excel else raw).to_pylist()
    out = []
    for i, v in enumerate(raw):
        if isinstance(v, str):
            try:
                v = orjson.loads(v) if v.strip() else None
            except orjson.JSONDecodeError:
                codes[i], v = cv.CODE["unparseable_value"], None
        try:
            out.append(None if v is None else orjson.dumps(v))
        except TypeError:  # integers beyond 64 bits
            codes[i] = cv.CODE["unparseable_value"]
            out.append(None)
    present = np.array([v is not None for v in raw], bool) & (codes == 0)
    return cv.Col(pa.array(out, pa.binary()).cast(pa.string()), codes, present)


def _phone_list(raw, hasher: PhoneHasher) -> cv.Col:
    """Hashes and kinds of each value's phones. Each distinct value is split and classified once
    per load (hasher.lists) and spread to its rows by Arrow: WeCom snapshots repeat every
    relation's remark mobiles daily, and per row in Python this cost ~10 µs, a fifth of reading
    wecom/external_contact."""
    if isinstance(raw, pa.Array):
        encoded = pc.dictionary_encode(raw)
        distinct, idx = encoded.dictionary.to_pylist(), encoded.indices
    else:
        distinct = [v for v in dict.fromkeys(raw) if v is not None]
        position = {v: k for k, v in enumerate(distinct)}
        idx = pa.array([None if v is None else position[v] for v in raw], pa.int32())
    memo = hasher.lists
    results = []
    for v in distinct:
        r = memo.get(v)
        if r is None:
            items = _phone_items(v)
            phones = [hasher.one(p) for p in items or ()]  # lists are short: per value is fine
            r = (
                None if items is None else [h for h, _, _ in phones],
                None if items is None else [k for _, k, _ in phones],
                items is None and v is not None,
            )
            if len(memo) >= hasher.MAX_CACHE:
                memo.clear()
            memo[v] = r
        results.append(r)
    listed = pa.list_(pa.string())
    # a null value (null index) is absent: no hashes, no kinds, no error
    bad = pa.array([r[2] for r in results], pa.bool_()).take(idx)
    codes = np.where(cv.np_bool(bad), cv.CODE["unparseable_value"], 0).astype(np.int8)
    hashes = pa.array([r[0] for r in results], listed).take(idx)
    kinds = pa.array([r[1] for r in results], listed).take(idx)
    return cv.Col({"_hashes": hashes, "_kinds": kinds}, codes, cv.np_bool(idx.is_valid()))


def _phone_items(v) -> list | None:
    if v is None or isinstance(v, list):
        return v
    if isinstance(v, str):
        if v.lstrip().startswith("["):
            try:
                return _phone_items(orjson.loads(v))
            except orjson.JSONDecodeError:
                return None
        return [p for p in _LIST_SEPARATORS.split(v) if p]
    return [v] if isinstance(v, int) else None

