"""Corrupted copies of records, driven by the source contracts.

A corrupting defect never replaces the genuine record: the platform delivers a garbled copy next to
it (a half-written line, a row shifted by a stray comma, a clock reset), so every genuine record
still loads and the truth stays exact; each copy must be quarantined with the reason named here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import orjson

from ingestion.contracts import CONTRACTS, TIME_TYPES, Contract, Field

from .clock import DAY, day_start, local

CORRUPTING = ("truncated_json", "wrong_field_count", "future_time", "pre_2010_time", "unknown_enum",
              "missing_required")
EXPECTED = {
    "truncated_json": "unparseable_record",
    "wrong_field_count": "unparseable_record",
    "future_time": "time_in_future",
    "pre_2010_time": "time_before_2010",
    "unknown_enum": "unknown_enum_value",
    "missing_required": "missing_required_field",
    "duplicate_push": "duplicate",
    "retry_later": "dedupe",
    "late_event": "loaded",
    "test_account": "loaded",
    "excel_text_id": "loaded",
    "yuan_suffix": "loaded",
    "gbk_file": "loaded",
    "gb18030_file": "loaded",
    "bom_file": "loaded",
}
FUTURE_DAYS = 400         # far beyond FUTURE_GRACE_DAYS (1), as a device with a wrong clock writes
PRE_2010 = (1_230_000_000, 1_260_000_000)  # 2008-12-23 … 2009-12-05 UTC: before EARLIEST_TIME
_BAD_INTS = (7, 9, 13, 99)


@dataclass(frozen=True)
class Shape:
    contract: Contract
    csv: bool
    header: tuple[str, ...]
    times: tuple[Field, ...]
    enums: tuple[Field, ...]
    required: tuple[Field, ...]
    static: tuple[str, ...] | None   # the defects every genuine record admits, when that is fixed


def shape(source: str, entity: str, csv: bool) -> Shape:
    c = CONTRACTS[(source, entity)]
    times = [f for f in c.fields if f.type in TIME_TYPES]
    times.sort(key=lambda f: not f.required)  # a required time first: optional ones may be absent
    enums = tuple(f for f in c.fields if f.enum and f.required)
    required = tuple(f for f in c.fields if f.required and not f.required_when)
    static = None
    # Genuine records always carry their required fields, so applicability is fixed per entity unless
    # its only times are optional (oa/user: a non-follower has no subscribe_time).
    if not times or times[0].required:
        static = (("wrong_field_count" if csv else "truncated_json"),) + (
            ("future_time", "pre_2010_time") if times else ()) + (("unknown_enum",) if enums else ()) + (
            ("missing_required",) if required else ())
    return Shape(c, csv, tuple(f.path for f in c.fields), tuple(times), enums, required, static)


def _get(rec, sh: Shape, f: Field):
    if sh.csv:
        v = rec[sh.header.index(f.path)]
        return v if v != "" else None
    node = rec[sh.contract.root] if sh.contract.root else rec
    for part in f.path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if node not in ("", None) and not (f.zero_is_null and node == 0) else None


def _set(rec, sh: Shape, f: Field, value, delete: bool = False) -> None:
    if sh.csv:
        rec[sh.header.index(f.path)] = "" if delete else value
        return
    node = rec[sh.contract.root] if sh.contract.root else rec
    *parents, last = f.path.split(".")
    for part in parents:
        node = node[part]
    if delete:
        del node[last]
    else:
        node[last] = value


def applicable(rec, sh: Shape) -> tuple[str, ...]:
    if sh.static is not None:
        return sh.static
    kinds = ["wrong_field_count" if sh.csv else "truncated_json"]
    if any(_get(rec, sh, f) is not None for f in sh.times):
        kinds += ["future_time", "pre_2010_time"]
    if any(_get(rec, sh, f) is not None for f in sh.enums):
        kinds.append("unknown_enum")
    if any(_get(rec, sh, f) is not None for f in sh.required):
        kinds.append("missing_required")
    return tuple(kinds)


def _time_value(f: Field, t: int):
    if f.type == "epoch_ms":
        return t * 1000 + 123
    return t if f.type == "epoch_s" else local(t)


def corrupt(rec, sh: Shape, kind: str, folder_day: int, rng: random.Random):
    """A corrupted copy of `rec` (the original is left untouched)."""
    if kind == "truncated_json":
        text = orjson.dumps(rec).decode()
        return text[: int(len(text) * rng.uniform(0.3, 0.9))]
    copy = list(rec) if sh.csv else orjson.loads(orjson.dumps(rec))
    if kind == "wrong_field_count":
        return copy[:-1] if rng.random() < 0.5 else copy + ["备注:" + copy[0]]
    if kind in ("future_time", "pre_2010_time"):
        f = next(f for f in sh.times if _get(copy, sh, f) is not None)
        t = (day_start(folder_day) + FUTURE_DAYS * DAY + rng.randrange(DAY) if kind == "future_time"
             else rng.randrange(*PRE_2010))
        value = _time_value(f, t)
        _set(copy, sh, f, str(value) if sh.csv else value)
    elif kind == "unknown_enum":
        f = rng.choice([f for f in sh.enums if _get(copy, sh, f) is not None])
        if isinstance(f.enum[0], int):
            bad = next(v for v in _BAD_INTS if v not in f.enum)
            _set(copy, sh, f, str(bad) if sh.csv else bad)
        else:
            _set(copy, sh, f, "交易异常" if sh.csv else "UNKNOWN_" + str(f.enum[0]).upper())
    elif kind == "missing_required":
        options = [f for f in sh.required if _get(copy, sh, f) is not None]
        _set(copy, sh, rng.choice(options), None, delete=True)
    return copy
