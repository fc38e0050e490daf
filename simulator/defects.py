"""Corrupted copies of records, driven by the platforms' shapes (platform.py).

A corrupting defect never replaces the genuine record: the platform delivers a garbled copy next to
it (a half-written line, a row shifted by a stray comma, a clock reset), so every genuine record
still loads and the truth stays exact; each copy must be quarantined with the reason named here,
and `_truth/defects.csv` names the field it broke (`sku_order_list[].order_id` for a Douyin line
that lost its id: one bad line quarantines its order, nothing else).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import orjson

from .clock import DAY, day_start, local
from .platform import SPECS, Spec

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
}
FUTURE_DAYS = 400         # far beyond the loader's one day of grace, as a device with a wrong clock writes
PRE_2010 = (1_230_000_000, 1_260_000_000)  # 2008-12-23 … 2009-12-05 UTC: before 2010-01-01 Beijing
_BAD_INTS = (7, 9, 13, 99)


@dataclass(frozen=True)
class Shape:
    spec: Spec
    csv: bool
    header: tuple[str, ...]
    static: tuple[str, ...] | None   # the defects every genuine record admits, when that is fixed


def shape(name: str) -> Shape:
    """`name` is `source/entity`, or `source/entity#variant` for a record kind of its own."""
    spec = SPECS[name]
    kinds = ("wrong_field_count" if spec.csv else "truncated_json",)
    kinds += ("future_time", "pre_2010_time") if spec.times else ()
    kinds += (("unknown_enum",) if spec.enums else ()) + (("missing_required",) if spec.required else ())
    return Shape(spec, spec.csv, spec.header, None if spec.sometimes else kinds)


def _get(rec, sh: Shape, path: str):
    """The value at `path`, None when absent or empty; for `list[].key`, the list when every element
    holds the key."""
    if sh.csv:
        v = rec[sh.header.index(path)]
        return v if v != "" else None
    node = rec[sh.spec.root] if sh.spec.root else rec
    for part in path.split("."):
        if part.endswith("[]"):
            items = node.get(part[:-2]) if isinstance(node, dict) else None
            rest = path.split("[].", 1)[1]
            ok = items and all(isinstance(i, dict) and i.get(rest) not in ("", None) for i in items)
            return items if ok else None
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if node not in ("", None) else None


def _set(rec, sh: Shape, path: str, value, rng: random.Random, delete: bool = False) -> None:
    if sh.csv:
        rec[sh.header.index(path)] = "" if delete else value
        return
    node = rec[sh.spec.root] if sh.spec.root else rec
    *parents, last = path.split(".")
    for part in parents:
        node = rng.choice(node[part[:-2]]) if part.endswith("[]") else node[part]
    if delete:
        del node[last]
    else:
        node[last] = value


def applicable(rec, sh: Shape) -> tuple[str, ...]:
    if sh.static is not None:
        return sh.static
    spec = sh.spec
    kinds = ["wrong_field_count" if sh.csv else "truncated_json"]
    if any(_get(rec, sh, p) is not None for p, _ in spec.times):
        kinds += ["future_time", "pre_2010_time"]
    if any(_get(rec, sh, p) is not None for p, _ in spec.enums):
        kinds.append("unknown_enum")
    if any(_get(rec, sh, p) is not None for p in spec.required):
        kinds.append("missing_required")
    return tuple(kinds)


def _time_value(unit: str, t: int):
    if unit == "ms":
        return t * 1000 + 123
    return t if unit == "s" else local(t)


def corrupt(rec, sh: Shape, kind: str, folder_day: int, rng: random.Random):
    """(a corrupted copy of `rec`, the field it broke or ""); the original is left untouched."""
    if kind == "truncated_json":
        text = orjson.dumps(rec).decode()
        return text[: int(len(text) * rng.uniform(0.3, 0.9))], ""
    copy = list(rec) if sh.csv else orjson.loads(orjson.dumps(rec))
    if kind == "wrong_field_count":
        return (copy[:-1] if rng.random() < 0.5 else copy + ["备注:" + copy[0]]), ""
    spec = sh.spec
    if kind in ("future_time", "pre_2010_time"):
        path, unit = next((p, u) for p, u in spec.times if _get(copy, sh, p) is not None)
        t = (day_start(folder_day) + FUTURE_DAYS * DAY + rng.randrange(DAY) if kind == "future_time"
             else rng.randrange(*PRE_2010))
        value = _time_value(unit, t)
        _set(copy, sh, path, str(value) if sh.csv else value, rng)
    elif kind == "unknown_enum":
        path, values = rng.choice([(p, v) for p, v in spec.enums if _get(copy, sh, p) is not None])
        if isinstance(values[0], int):
            bad = next(v for v in _BAD_INTS if v not in values)
            _set(copy, sh, path, str(bad) if sh.csv else bad, rng)
        else:
            _set(copy, sh, path, "交易异常" if sh.csv else "UNKNOWN_" + str(values[0]).upper(), rng)
    else:
        options = [p for p in spec.required if _get(copy, sh, p) is not None]
        lines = [p for p in options if "[]" in p]
        # Half of them on an order line: one bad line must cost its order, nothing more (issue 18).
        path = rng.choice(lines if lines and rng.random() < 0.5 else options)
        _set(copy, sh, path, None, rng, delete=True)
    return copy, path
