"""Column converters: a batch's raw values of one field -> its warehouse column, vectorised with
pyarrow.compute and numpy, plus per row an error code (0 = fine) and whether a value was present.

Each contract field type has one converter; nothing here knows about sources or entities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.contracts.model import BUSINESS_UTC_OFFSET_HOURS

REASONS = (
    "",
    "undecodable_bytes",
    "unparseable_record",
    "missing_required_columns",
    "missing_required_field",
    "unparseable_time",
    "unparseable_amount",
    "unparseable_value",
    "unknown_enum_value",
    "negative_amount",
    "time_in_future",
    "time_before_2010",
    "duplicate_nested_key",
    "record_too_large",
    "personal_data_in_id",
    "malformed_id",
    "api_error_response",
)
CODE = {r: np.int8(i) for i, r in enumerate(REASONS)}
DECIMAL = pa.decimal128(18, 2)
TIMESTAMP = pa.timestamp("us", tz="UTC")
BEIJING_OFFSET_US = BUSINESS_UTC_OFFSET_HOURS * 3600 * 1_000_000
ONE_SECOND_US = {"epoch_s": 1_000_000, "epoch_ms": 1_000}
_INT = r"^[+-]?\d{1,18}(?:\.0*)?$"
_FLOAT = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$"
_THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$"
_DATES = (  # 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日 (Excel's Chinese date format), 20240501
    r"^(?P<y>\d{4})[-/.年](?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})日?(?:[ T]0{1,2}:00(?::00)?)?$",
    r"^(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})$",
)
_MONTH_DAYS = (
    r"^(?P<y>\d{4})[-/.年](?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})日?(?:[ T][\d:.]+)?$",
    r"^(?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})日?$",
    r"^(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})$",
)
TRUE, FALSE = ("true", "1", "是", "yes", "y", "t"), ("false", "0", "否", "no", "n", "f")


@dataclass
class Col:
    values: pa.Array | None  # the stored column (None for fields never stored)
    codes: np.ndarray  # int8 error code per row, 0 = fine
    present: np.ndarray  # bool: a non-blank value was offered
    phone_rows: np.ndarray | None = None  # phone_when fields: rows whose value is a phone (now its hash)
    notes: dict[int, str] | None = None  # row -> the nested key at fault (`sku_order_list[].order_id`)


def np_bool(arr: pa.Array) -> np.ndarray:
    return np.asarray(arr.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def to_arrow(raw: list) -> pa.Array:
    """Raw values as one Arrow array; mixed or nested values fall back to their JSON text."""
    if isinstance(raw, pa.Array):
        return raw
    try:
        arr = pa.array(raw, from_pandas=False)
        if not pa.types.is_nested(arr.type) and not pa.types.is_binary(arr.type):
            return arr
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        pass
    import orjson

    def canon(v):
        if v is None or isinstance(v, str):
            return v
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return str(v)
        try:
            return orjson.dumps(v).decode()
        except TypeError:
            return str(v)

    return pa.array([canon(v) for v in raw], pa.string())


def as_text(arr: pa.Array, excel: bool, trim: bool) -> pa.Array:
    """Strings, blank -> null. Export cells (`excel`) are trimmed and Excel's ="…" text marker removed."""
    s = arr if pa.types.is_string(arr.type) else pc.cast(arr, pa.string())
    if excel or trim:
        s = pc.utf8_trim_whitespace(s)
    if excel and pc.any(pc.starts_with(s, '="')).as_py():
        s = pc.replace_substring_regex(s, r'^="(.*)"$', r"\1")
    return pc.if_else(pc.equal(s, ""), pa.scalar(None, pa.string()), s)


# A number Excel shows in its General format when it has more digits than fit (an order number, a
# card number opened from a CSV without its ="…" guard): `1.23457E+18`, or Python's `1.2345678901234568e+18`
# for a numeric .xlsx cell. Its digits are gone; read as an id it would be one for many orders.
# Both write one digit before the point and a signed exponent of two or three digits.
EXCEL_SCIENTIFIC = r"^-?[0-9](\.[0-9]+)?[eE][+-][0-9]{2,3}$"


def excel_scientific(values: pa.Array) -> np.ndarray:
    """Rows whose id is a number in scientific notation (nulls are not)."""
    if not len(values) or not pa.types.is_string(values.type):
        return np.zeros(len(values), bool)
    return np_bool(pc.match_substring_regex(values, EXCEL_SCIENTIFIC))


def extract_ints(s: pa.Array, pattern: str, names: tuple[str, ...], fractions: dict | None = None):
    """Named digit groups of a regex as int64 numpy arrays (0 where absent), and the match mask.
    `fractions` maps a group of decimal digits to the width it is right-padded to (.5 -> 500)."""
    st = pc.extract_regex(s, pattern)
    matched = np_bool(st.is_valid())
    out = {}
    for name in (*names, *(fractions or {})):
        child = st.field(name).fill_null("")
        if fractions and name in fractions:
            width = fractions[name]
            child = pc.utf8_slice_codeunits(pc.utf8_rpad(child, width=width, padding="0"), 0, width)
        child = pc.if_else(pc.equal(child, ""), "0", child)
        out[name] = np.asarray(pc.cast(child, pa.int64()).to_numpy(zero_copy_only=False))
    return out, matched, st


def civil_days(y: np.ndarray, mo: np.ndarray, d: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970-01-01 of year/month/day, and `ok` narrowed to real calendar dates
    (2024-02-30 is rejected, not rolled over to March as strptime would)."""
    ok = ok & (mo >= 1) & (mo <= 12) & (d >= 1) & (y >= 1)
    months = np.where(ok, (y - 1970) * 12 + mo - 1, 0)
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    following = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    ok &= d <= following - first
    return np.where(ok, first + d - 1, 0), ok


def numeric_text(s: pa.Array) -> pa.Array:
    """Numbers as exports write them: thousands commas removed where they group digits properly."""
    grouped = pc.match_substring_regex(s, _THOUSANDS)
    return pc.if_else(grouped, pc.replace_substring(s, ",", ""), s)


def parse_int(arr: pa.Array, excel: bool) -> tuple[pa.Array, np.ndarray]:
    """int64 values and the mask of values that are not integers."""
    t = arr.type
    if pa.types.is_integer(t) or pa.types.is_boolean(t) or pa.types.is_null(t):
        return pc.cast(arr, pa.int64()), np.zeros(len(arr), bool)
    if pa.types.is_floating(t):
        integral = np_bool(pc.and_(pc.equal(pc.floor(arr), arr), pc.less(pc.abs(arr), 2.0**62)))
        vals = pc.if_else(pa.array(integral), arr, pa.scalar(None, t))
        return pc.cast(vals, pa.int64()), ~integral & np_bool(arr.is_valid())
    s = as_text(arr, excel, True)
    plain = pc.match_substring_regex(s, r"^-?\d{1,18}$")  # nearly every value: cast it directly
    ints = pc.cast(pc.if_else(plain, s, pa.scalar(None, pa.string())), pa.int64())
    rest = np_bool(s.is_valid()) & ~np_bool(plain)
    if not rest.any():
        return ints, rest
    t = numeric_text(s)
    good = pc.match_substring_regex(t, _INT)
    other = pc.replace_substring_regex(pc.if_else(good, t, pa.scalar(None, pa.string())), r"^\+|\.0*$", "")
    return pc.coalesce(ints, pc.cast(other, pa.int64())), rest & ~np_bool(good)


def parse_float(arr: pa.Array, excel: bool) -> tuple[pa.Array, np.ndarray]:
    t = arr.type
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_null(t):
        return pc.cast(arr, pa.float64()), np.zeros(len(arr), bool)
    s = numeric_text(as_text(arr, excel, True))
    good = pc.match_substring_regex(s, _FLOAT)
    vals = pc.cast(
        pc.replace_substring_regex(pc.if_else(good, s, pa.scalar(None, pa.string())), r"^\+", ""),
        pa.float64(),
    )
    return vals, ~np_bool(good) & np_bool(s.is_valid())


def parse_bool(arr: pa.Array, excel: bool) -> tuple[pa.Array, np.ndarray]:
    s = pc.utf8_lower(as_text(arr, excel, True))
    yes, no = pc.is_in(s, value_set=pa.array(TRUE)), pc.is_in(s, value_set=pa.array(FALSE))
    known = pc.or_(yes, no)
    vals = pc.if_else(known, yes, pa.scalar(None, pa.bool_()))
    return vals, ~np_bool(known) & np_bool(s.is_valid())


def parse_date(arr: pa.Array, excel: bool) -> tuple[pa.Array, np.ndarray]:
    s = as_text(arr, excel, True)
    days, ok = np.zeros(len(s), np.int64), np.zeros(len(s), bool)
    for pattern in _DATES:
        g, m, _ = extract_ints(s, pattern, ("y", "mo", "d"))
        dd, good = civil_days(g["y"], g["mo"], g["d"], m & ~ok)
        days, ok = np.where(good, dd, days), ok | good
    vals = pa.array(days.astype(np.int32), pa.date32(), mask=~ok)
    return vals, ~ok & np_bool(s.is_valid())


def parse_month_day(arr: pa.Array, excel: bool) -> tuple[pa.Array, np.ndarray]:
    """'MM-DD' of a birthday: the year is personal data the warehouse does not keep."""
    s = as_text(arr, excel, True)
    mo, d, ok = np.zeros(len(s), np.int64), np.zeros(len(s), np.int64), np.zeros(len(s), bool)
    for pattern in _MONTH_DAYS:
        names = ("y", "mo", "d") if "?P<y>" in pattern else ("mo", "d")
        g, m, _ = extract_ints(s, pattern, names)
        _, good = civil_days(g.get("y", np.full(len(s), 2000)), g["mo"], g["d"], m & ~ok)  # 2000: Feb 29 ok
        mo, d, ok = np.where(good, g["mo"], mo), np.where(good, g["d"], d), ok | good
    text = pc.binary_join_element_wise(
        pc.utf8_lpad(pa.array(mo).cast(pa.string()), width=2, padding="0"),
        pc.utf8_lpad(pa.array(d).cast(pa.string()), width=2, padding="0"),
        "-",
    )
    return pc.if_else(pa.array(ok), text, pa.scalar(None, pa.string())), ~ok & np_bool(s.is_valid())
