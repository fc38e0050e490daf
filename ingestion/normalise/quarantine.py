"""Quarantine rows: why a row was rejected (which field, which value) and the row itself, without
personal data: dropped fields left out, phones as their hash and kind, birthdays as MM-DD, and every
other value as a loaded row would store it — text fields as converted (free text masked, an id
that is a mobile, ID-card number or e-mail hashed, page paths without their query string), and an
offered value that could not be converted scrubbed the same way (ingestion/normalise/personal.py)."""

from __future__ import annotations

import json

import numpy as np
import orjson
import pyarrow as pa

from ingestion.contracts import Contract, Field
from ingestion.normalise.batch import Normalised
from ingestion.normalise.convert import REASONS
from ingestion.normalise.personal import hash_id, mask_text
from ingestion.read.readers import FileInfo, RawBatch

# Enough of a bad value to recognise it; a 10 MB field must not be copied into every detail.
SHOWN_CHARS = 80
# A quarantined record is kept to this many characters: enough to see what was wrong, and a file of
# huge bad records cannot fill the warehouse with them. A cut record is kept as a JSON string of its
# first characters (the column is JSON).
RECORD_CHARS = 4096


def shows_value(f: Field) -> bool:
    """Whether a field's offered value may appear in a quarantine detail."""
    return (
        f.pii is None
        and f.type not in ("phone", "phone_list")
        and not f.phone_when
        and not f.items
    )


def _show(v) -> str:
    s = v if isinstance(v, str) else _dumps(v)
    return repr(s if len(s) <= SHOWN_CHARS else s[: SHOWN_CHARS - 1] + "…")


def _dumps(v) -> str:
    try:
        return orjson.dumps(v).decode()
    except TypeError:  # integers beyond 64 bits
        return json.dumps(v, ensure_ascii=False, default=str)


def scrub(v, salt: bytes | None):
    """An offered value kept in quarantine: a mobile, ID-card number or e-mail as its keyed hash when
    it is the whole value (as the loader stores such an id; masked when no salt is given), masked
    inside longer text."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, list):
        return [scrub(x, salt) for x in v]
    if isinstance(v, dict):
        return {k: scrub(x, salt) for k, x in v.items()}
    s = v if isinstance(v, str) else str(v)
    if salt is not None and (hashed := hash_id(s.strip(), salt)) != s.strip():
        return hashed
    masked = mask_text(s)
    return v if masked == s and isinstance(v, int | float) else masked


def raw_value(col, i: int):
    return col[i].as_py() if isinstance(col, pa.Array) else col[i]


def raw_values(col, idx: np.ndarray) -> list:
    return col.take(idx).to_pylist() if isinstance(col, pa.Array) else [col[i] for i in idx.tolist()]


def quarantine_rows(
    contract: Contract, batch: RawBatch, info: FileInfo, norm: Normalised, salt: bytes | None = None
) -> list[tuple]:
    """(row_number, reason, detail, record JSON or None) for every rejected row of the batch. `salt`
    keys an offered id that is a mobile, ID-card number or e-mail; without it such a value is masked."""
    bad = np.flatnonzero(norm.codes)
    if not len(bad):
        return []
    record_cols = _record_columns(contract, batch, norm, bad, salt)
    missing = ", ".join(info.missing_columns)
    rows = []
    for j, i in enumerate(bad.tolist()):
        reason = REASONS[norm.codes[i]]
        if i in batch.errors and reason != "missing_required_columns":  # unreadable: nothing to show
            rows.append((batch.row_numbers[i], reason, batch.errors[i][1], None))
            continue
        if reason == "missing_required_columns":
            detail = f"the file lacks required columns: {missing}"
        else:
            detail = "; ".join(_field_problems(contract, batch, norm, i, salt))
        record = {name: values[j] for name, values in record_cols.items()}
        text = _dumps(record)
        if len(text) > RECORD_CHARS:  # cut text is no JSON object: keep it as a JSON string
            text = _dumps(text[: RECORD_CHARS - 1] + "…")
        rows.append((batch.row_numbers[i], reason, detail, text))
    return rows


def _field_problems(
    contract: Contract, batch: RawBatch, norm: Normalised, i: int, salt: bytes | None
) -> list[str]:
    out = []
    for f in contract.fields:
        col = norm.cols[f.name]
        code = col.codes[i]
        if code and col.notes and i in col.notes:
            out.append(f"{col.notes[i]}: {REASONS[code]}")
        elif code:
            raw = raw_value(batch.columns[f.name], i)
            shown = f" {_show(scrub(raw, salt))}" if shows_value(f) and raw is not None else ""
            out.append(f"{f.path}: {REASONS[code]}{shown}")
    for group, none in norm.missing_any:
        if none[i]:
            out.append(f"none of {', '.join(group)} present: missing_required_field")
    return out


def _record_columns(
    contract: Contract, batch: RawBatch, norm: Normalised, bad: np.ndarray, salt: bytes | None
) -> dict:
    """Per stored column, the values of the rejected rows as they may be kept."""
    idx = bad.tolist()
    out: dict[str, list] = {}
    for f in contract.fields:
        if not f.stored:
            continue
        col = norm.cols[f.name]
        raw = raw_values(batch.columns[f.name], bad)
        if isinstance(col.values, dict):  # phone / phone_list: hash(es) and kind(s), never the number
            for suffix, arr in col.values.items():
                out[f.name + suffix] = arr.take(bad).to_pylist()
        elif f.pii == "month_day" or f.type == "json":
            converted = col.values.take(bad).to_pylist()
            if f.type == "json":
                converted = [orjson.loads(v) if v is not None else None for v in converted]
            out[f.name] = converted
        elif f.phone_when:
            hashed = col.values.take(bad).to_pylist()
            rows = col.phone_rows if col.phone_rows is not None else np.zeros(len(norm.codes), bool)
            out[f.name] = [hashed[j] if rows[i] else scrub(raw[j], salt) for j, i in enumerate(idx)]
        elif f.type == "text" and col.values is not None:  # as a loaded row stores it
            out[f.name] = col.values.take(bad).to_pylist()
        else:  # an amount, a time, a number: the offered value, which may be why the row was rejected
            out[f.name] = [scrub(v, salt) for v in raw]
    return out
