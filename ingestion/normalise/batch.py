"""Normalise a batch of raw columns against its contract: typed Arrow columns for the raw table,
and for every row either "fine" or the first reason it must be quarantined.

All rules come from the contract: types and units, required / required_when / require_any, enums,
money sign, time plausibility (EARLIEST_TIME .. business date + 1 + FUTURE_GRACE_DAYS), phones,
personal data (pii drop, month_day, nested JSON cut to its declared items, phone_when).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.contracts import TIME_TYPES, Contract, Field
from ingestion.contracts.model import BUSINESS_UTC_OFFSET_HOURS, EARLIEST_TIME, FUTURE_GRACE_DAYS, ID_FORMATS
from ingestion.normalise import convert as cv
from ingestion.normalise import personal
from ingestion.normalise import timemoney as tm
from ingestion.normalise.phone_columns import PhoneHasher
from ingestion.normalise.pyfields import python_field
from ingestion.read.readers import FileInfo, RawBatch

BEIJING = timezone(timedelta(hours=BUSINESS_UTC_OFFSET_HOURS))
ARROW_TYPES = {
    "text": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "json": pa.string(),
    "yuan": cv.DECIMAL,
    "fen": cv.DECIMAL,
    **{t: cv.TIMESTAMP for t in TIME_TYPES},
}
MAX_CENTS = 10**18  # DECIMAL(18,2): 16 integer digits


@dataclass
class Context:
    business_date: date
    hasher: PhoneHasher
    earliest_us: int = field(init=False)
    future_us: int = field(init=False)

    def __post_init__(self) -> None:
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        self.earliest_us = (datetime.fromisoformat(EARLIEST_TIME) - epoch) // timedelta(microseconds=1)
        end = datetime.combine(
            self.business_date + timedelta(days=1 + FUTURE_GRACE_DAYS), datetime.min.time(), BEIJING
        )
        self.future_us = (end - epoch) // timedelta(microseconds=1)


@dataclass
class Normalised:
    good: pa.Table  # stored columns of every row, plus _row_number, _record and _ok (load it)
    codes: np.ndarray  # per row: index into convert.REASONS, 0 = load
    cols: dict[str, cv.Col]  # per field, for quarantine details
    missing_any: list[tuple[tuple[str, ...], np.ndarray]]  # require_any groups that failed, per row


def convert_field(f: Field, raw: list, excel: bool, ctx: Context) -> cv.Col:
    n = len(raw)
    codes = np.zeros(n, np.int8)
    if f.type in ("phone", "phone_list", "json"):
        return python_field(f, raw, excel, ctx.hasher)
    arr = cv.to_arrow(raw)
    if pa.types.is_string(arr.type) or pa.types.is_null(arr.type):
        arr = cv.as_text(arr, excel, trim=f.type != "text" or f.kind in ("id", "code"))
    present = cv.np_bool(arr.is_valid())
    if not f.stored:
        return cv.Col(None, codes, present)
    t = f.type
    if t == "text":
        values, bad = cv.parse_month_day(arr, False) if f.pii == "month_day" else (arr, np.zeros(n, bool))
        codes[bad] = cv.CODE["unparseable_value"]
        if personal.has_format(f.name):
            codes[personal.whole_personal(values) & present & (codes == 0)] = cv.CODE["personal_data_in_id"]
            codes[personal.malformed(values, f.name) & present & (codes == 0)] = cv.CODE["malformed_id"]
        if excel and f.kind == "id":
            codes[cv.excel_scientific(values) & present & (codes == 0)] = cv.CODE["malformed_id"]
        values = _personal(f, values, ctx)
    elif t in ("int", "float", "bool", "date"):
        values, bad = getattr(cv, f"parse_{t}")(arr, excel)
        codes[bad] = cv.CODE["unparseable_value"]
    elif t in TIME_TYPES:
        values = _time(f, arr, excel, ctx, codes, present)
    else:
        cents, ok, bad = tm.parse_cents(arr, excel, fen=t == "fen")
        codes[bad | (ok & (np.abs(cents) >= MAX_CENTS))] = cv.CODE["unparseable_amount"]
        if not f.allow_negative:
            codes[(codes == 0) & ok & (cents < 0)] = cv.CODE["negative_amount"]
        values = tm.decimal_from_cents(np.where(codes == 0, cents, 0), ok & (codes == 0))
    if f.enum is not None:
        allowed = (
            pa.array([str(v) for v in f.enum]) if t == "text" else pa.array(list(f.enum)).cast(values.type)
        )
        outside = ~cv.np_bool(pc.is_in(values, value_set=allowed)) & present & (codes == 0)
        codes[outside] = cv.CODE["unknown_enum_value"]
    return cv.Col(values, codes, present)


def _personal(f: Field, values: pa.Array, ctx: Context) -> pa.Array:
    """Personal data where the contract expects none: masked in free text, hashed in identifiers."""
    if f.pii == "path":
        values = personal.strip_query(values)
    if f.kind == "free":
        return personal.mask_free_text(values)
    if f.kind in ("id", "code") and not f.phone_when:
        # a code too: a contact-way `state` a guide set to a customer's mobile; the brand's
        # channel-code list is hashed alike, so the two still match
        return personal.hash_personal_ids(values, ctx.hasher.salt)
    return values


def _time(f: Field, arr: pa.Array, excel: bool, ctx: Context, codes: np.ndarray, present: np.ndarray):
    if f.type == "local_ts":
        us, ok, bad = tm.parse_local_ts(arr, excel)
        lo, hi = us < ctx.earliest_us, us > ctx.future_us
    else:
        vals, ok, bad = tm.parse_epoch(arr, excel)
        if f.zero_is_null:
            zero = ok & (vals == 0)
            ok &= ~zero
            present &= ~zero
        unit = cv.ONE_SECOND_US[f.type]
        # compare in the source unit first: a garbage epoch times 10^6 would overflow int64
        lo, hi = vals < -(-ctx.earliest_us // unit), vals > ctx.future_us // unit
        us = np.where(ok & ~lo & ~hi, vals * unit, 0)
    codes[bad] = cv.CODE["unparseable_time"]
    codes[ok & hi] = cv.CODE["time_in_future"]
    codes[ok & lo] = cv.CODE["time_before_2010"]
    return pa.array(us, cv.TIMESTAMP, mask=~ok)


def normalise_batch(batch: RawBatch, info: FileInfo, contract: Contract, ctx: Context) -> Normalised:
    n = len(batch)
    cols = {f.name: convert_field(f, batch.columns[f.name], info.text_table, ctx) for f in contract.fields}
    _conditional_rules(contract, cols, ctx)
    codes = np.zeros(n, np.int8)
    for f in reversed(contract.fields):  # the first failing field, in contract order, names the reason
        c = cols[f.name].codes
        codes = np.where(c != 0, c, codes)
    missing_any = []
    for group in contract.require_any:
        none = ~np.logical_or.reduce([cols[name].present for name in group])
        missing_any.append((group, none))
        codes[(codes == 0) & none] = cv.CODE["missing_required_field"]
    if info.missing_columns:
        codes[:] = cv.CODE["missing_required_columns"]
    for k, (reason, _) in batch.errors.items():
        if not (info.missing_columns and reason == "unparseable_record"):
            codes[k] = cv.CODE[reason]
    ok = codes == 0
    return Normalised(_good_table(contract, batch, cols, ok), codes, cols, missing_any)


def _conditional_rules(contract: Contract, cols: dict[str, cv.Col], ctx: Context) -> None:
    for f in contract.fields:
        col = cols[f.name]
        if f.required and not f.required_when:
            col.codes[~col.present] = cv.CODE["missing_required_field"]
        if f.required_when:
            other, value = f.required_when
            cond = _equals(cols[other].values, value)
            col.codes[cond & ~col.present & (col.codes == 0)] = cv.CODE["missing_required_field"]
        if f.format_when and f.stored:
            _format_by_type(f, col, cols[f.format_when[0]])
        if f.phone_when and f.stored:
            other, kinds = f.phone_when
            cond = cv.np_bool(pc.is_in(cols[other].values, value_set=pa.array(list(kinds)))) & col.present
            col.phone_rows = cond
            if cond.any():
                values = col.values.to_pylist()
                for i in np.flatnonzero(cond):
                    values[i] = ctx.hasher.one(values[i])[0]
                    if values[i] is None:  # masked, encrypted or invalid: no key to store
                        col.codes[i] = cv.CODE["unparseable_value"]
                col.values = pa.array(values, pa.string())
            # the other rows are ids of other types: one that is a mobile (a unionid typed as a
            # phone in a test-account list) is hashed like every id; hashed phone rows match nothing
            col.values = personal.hash_personal_ids(col.values, ctx.hasher.salt)


def _format_by_type(f: Field, col: cv.Col, other: cv.Col) -> None:
    """An id whose format its row's type names (before a phone_when field's phones are hashed): one
    that is a phone, an ID-card number or an e-mail is personal data, one of another form malformed."""
    for value, name in f.format_when[1]:
        rows = _equals(other.values, value) & col.present & (col.codes == 0) & (other.codes == 0)
        if not rows.any():
            continue
        personal_rows = rows & personal.whole_personal(col.values)
        col.codes[personal_rows] = cv.CODE["personal_data_in_id"]
        wrong = rows & ~personal_rows & personal.not_matching(col.values, ID_FORMATS[name])
        col.codes[wrong] = cv.CODE["malformed_id"]


def _equals(values: pa.Array, value) -> np.ndarray:
    """Rows whose value equals `value`, or is one of them when `value` is a tuple."""
    if isinstance(value, tuple):
        return np.logical_or.reduce([_equals(values, v) for v in value])
    try:
        return cv.np_bool(pc.equal(values, pa.scalar(value).cast(values.type)))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return cv.np_bool(pc.equal(pc.cast(values, pa.string()), str(value)))


def _good_table(contract: Contract, batch: RawBatch, cols: dict[str, cv.Col], ok: np.ndarray) -> pa.Table:
    names, arrays = [], []
    for f in contract.fields:
        if not f.stored:
            continue
        v = cols[f.name].values
        if isinstance(v, dict):
            names += [f.name + suffix for suffix in v]
            arrays += list(v.values())
        else:
            names.append(f.name)
            arrays.append(
                v
                if f.type not in ARROW_TYPES or v.type == ARROW_TYPES[f.type]
                else v.cast(ARROW_TYPES[f.type])
            )
    records = batch.records if isinstance(batch.records, pa.Array) else pa.array(batch.records)
    if not pa.types.is_string(records.type):  # UTF-8 bytes of JSON lines, already validated by orjson
        records = records.cast(pa.string())
    names += ["_row_number", "_record", "_ok"]
    arrays += [pa.array(batch.row_numbers, pa.int64()), records, pa.array(ok)]
    # rows to load are picked by the INSERT's `where _ok`: filtering here would copy every column
    return pa.Table.from_arrays(arrays, names=names)
