"""Times and money from text, vectorised: a fast path for the shape nearly every value has (one
Arrow cast), and regex parsing for the rest (Arrow's regex kernels cost ~1 µs a value, ten times
the cast, so they only see the values that need them)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.normalise.convert import (
    BEIJING_OFFSET_US,
    DECIMAL,
    as_text,
    civil_days,
    extract_ints,
    np_bool,
    numeric_text,
    parse_int,
)

_ISO_SHAPE = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?$"
# 2024-05-01 10:00:00, as Excel may save it (2024/5/1 10:00), in its Chinese date format
# (2024年5月1日 10:00:00), with dots (2024.05.01), with Chinese hours and minutes (10时00分00秒),
# or with the offset a zone-aware serialiser writes (2024-05-01T10:00:00+08:00, …Z: that instant)
_LOCAL_TS = (
    r"^(?P<y>\d{4})[-/.年](?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})(?:日 ?|[ T])(?P<h>\d{1,2})[:时]"
    r"(?P<mi>\d{1,2})(?:[:分](?P<s>\d{1,2})(?:\.(?P<us>\d{1,6}))?秒?|分)?"
    r"(?: ?(?P<z>Z)| ?(?P<zs>[+-])(?P<zh>\d{2}):?(?P<zm>\d{2}))?$"
)
# 20240501100000: some store systems write the time as 14 digits
_COMPACT_TS = r"^(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})$"
_PLAIN_YUAN = r"^-?\d{1,16}(?:\.\d{1,2})?$"
# DECIMAL(18,2) holds up to 16 integer digits.
_YUAN = r"^(?P<sign>[+-]?)(?P<int>\d{1,16})(?:\.(?P<frac>\d*))?$"
_NULL = pa.scalar(None, pa.string())


def _subset(s: pa.Array, rows: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    idx = np.flatnonzero(rows)
    return idx, s.take(pa.array(idx))


def parse_epoch(arr: pa.Array, excel: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values in the source unit, parsed mask, unparseable mask) of epoch seconds or milliseconds."""
    ints, bad = parse_int(arr, excel)
    return np.asarray(ints.fill_null(0).to_numpy()), np_bool(ints.is_valid()), bad


def parse_local_ts(arr: pa.Array, excel: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(UTC epoch microseconds, parsed mask, unparseable mask) of Beijing wall-clock times:
    'YYYY-MM-DD HH:MM[:SS[.ffffff]]', with '/' or 'T' too, one-digit months and days allowed, and
    the other forms _LOCAL_TS and _COMPACT_TS name."""
    s = as_text(arr, excel, True)
    n = len(s)
    us, ok = np.zeros(n, np.int64), np.zeros(n, bool)
    iso = np_bool(pc.match_substring_regex(s, _ISO_SHAPE))
    if iso.any():
        try:  # Arrow's ISO-8601 cast checks the calendar (2024-02-30 fails the cast, not rolls over)
            ts = pc.cast(pc.if_else(pa.array(iso), s, _NULL), pa.timestamp("us"))
            us = np.where(iso, np.asarray(ts.cast(pa.int64()).fill_null(0).to_numpy()) - BEIJING_OFFSET_US, 0)
            ok = iso.copy()
        except pa.ArrowInvalid:
            iso[:] = False  # an impossible date among them: parse them all the careful way
    for pattern in (_LOCAL_TS, _COMPACT_TS):
        rest = np_bool(s.is_valid()) & ~ok
        if not rest.any():
            break
        idx, sub = _subset(s, rest)
        full = pattern is _LOCAL_TS  # fractions of a second and a zone: only in that form
        zone = ("zh", "zm") if full else ()
        names = ("y", "mo", "d", "h", "mi", "s", *zone)
        g, matched, st = extract_ints(sub, pattern, names, {"us": 6} if full else {})
        days, good = civil_days(g["y"], g["mo"], g["d"], matched)
        good &= (g["h"] < 24) & (g["mi"] < 60) & (g["s"] < 60)
        secs = days * 86400 + g["h"] * 3600 + g["mi"] * 60 + g["s"]
        offset = np.full(len(sub), BEIJING_OFFSET_US, np.int64)
        if full:  # a written offset, else Beijing's
            z = np_bool(pc.equal(st.field("z").fill_null(""), "Z"))
            sign = st.field("zs").fill_null("")
            plus, minus = np_bool(pc.equal(sign, "+")), np_bool(pc.equal(sign, "-"))
            written = np.where(minus, -1, 1) * (g["zh"] * 3600 + g["zm"] * 60) * 1_000_000
            offset = np.where(z, 0, np.where(plus | minus, written, offset))
            good &= (g["zh"] < 15) & (g["zm"] < 60)
        us[idx] = np.where(good, secs * 1_000_000 + g.get("us", 0) - offset, 0)
        ok[idx] = good
    return us, ok, ~ok & np_bool(s.is_valid())


def parse_cents(arr: pa.Array, excel: bool, fen: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(amount in 分 as int64, parsed mask, unparseable mask). 元 are rounded half away from zero
    at 2 decimals, exactly, from the digits (a float would turn 1.005 into 1.00)."""
    if fen:
        ints, bad = parse_int(arr, excel)
        return np.asarray(ints.fill_null(0).to_numpy()), np_bool(ints.is_valid()), bad
    s = as_text(arr, excel, True)
    n = len(s)
    plain = np_bool(pc.match_substring_regex(s, _PLAIN_YUAN))
    dec = pc.cast(pc.if_else(pa.array(plain), s, _NULL), DECIMAL)
    low = np.frombuffer(dec.buffers()[1], np.int64)[2 * dec.offset : 2 * (dec.offset + n) : 2]
    cents, ok = np.where(plain, low, 0), plain.copy()  # |cents| < 10^18: the low 64 bits hold them
    rest = np_bool(s.is_valid()) & ~plain
    if rest.any():
        idx, sub = _subset(s, rest)
        sub = numeric_text(pc.replace_substring_regex(sub, r"^(?:[¥￥]|RMB)\s*|\s*(?:元|RMB)$", ""))
        g, good, st = extract_ints(sub, _YUAN, ("int",), {"frac": 3})
        frac3 = g["frac"]
        negative = np_bool(pc.equal(st.field("sign"), "-")) & good
        c = g["int"] * 100 + frac3 // 10 + (frac3 % 10 >= 5)
        cents[idx] = np.where(good, np.where(negative, -c, c), 0)
        ok[idx] = good
    return cents, ok, ~ok & np_bool(s.is_valid())


def decimal_from_cents(cents: np.ndarray, ok: np.ndarray) -> pa.Array:
    """DECIMAL(18,2) straight from 分: the unscaled 128-bit integers are the cents themselves."""
    words = np.empty(len(cents) * 2, np.int64)
    words[0::2], words[1::2] = cents, np.where(cents < 0, -1, 0)
    validity = pa.array(ok).buffers()[1]
    return pa.Array.from_buffers(DECIMAL, len(cents), [validity, pa.py_buffer(words)], null_count=-1)
