"""Phones as columns: the rules of phones.normalise_phone applied with Arrow kernels to a whole
batch, and keyed hashes computed once per distinct number."""

from __future__ import annotations

import hashlib

import pyarrow as pa
import pyarrow.compute as pc

from ingestion.normalise.phones import (
    _ENCRYPTED_MIN_LEN,
    _MASKED,
    HASHABLE_KINDS,
    PLACEHOLDERS,
    normalise_phone,
)


class PhoneHasher:
    """Keyed hashes of phone values, once per distinct number: a day of POS receipts repeats the
    same member phones, and one HMAC costs 1-2 microseconds."""

    # ~1M cached numbers is ~200 MB at most; past that the cache starts over to bound memory.
    MAX_CACHE = 1_000_000

    def __init__(self, salt: bytes):
        self.salt = salt
        self._cache: dict[str, str] = {}  # E.164 -> hash
        # one(): a value's (hash, kind, last4), for str and int values. Phone lists (WeCom remark
        # mobiles) are snapshots: each day repeats yesterday's numbers, and classifying one with
        # the regexes of normalise_phone costs ~10 µs against ~0.1 µs for a lookup.
        self._one: dict[object, tuple[str | None, str, str | None]] = {}
        self.lists: dict = {}  # pyfields._phone_list: a phone-list value -> its hashes and kinds
        # HMAC (RFC 2104) with its two keyed SHA-256 states prepared once: each phone then costs
        # two state copies instead of re-deriving the key (1.4 µs instead of 2.3 µs measured).
        key = (hashlib.sha256(salt).digest() if len(salt) > 64 else salt).ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def hash(self, e164: str) -> str:
        digest = self._cache.get(e164)
        if digest is None:
            if len(self._cache) >= self.MAX_CACHE:
                self._cache.clear()
            inner, outer = self._inner.copy(), self._outer.copy()
            inner.update(e164.encode("ascii"))
            outer.update(inner.digest())
            digest = self._cache[e164] = outer.hexdigest()
        return digest

    def one(self, value: object) -> tuple[str | None, str, str | None]:
        """(hash or None, kind, last4 or None) of one raw value."""
        kind = type(value)
        key = value if kind is str else (kind, value) if kind is int else None  # True == 1: keep apart
        if key is not None and (known := self._one.get(key)) is not None:
            return known
        r = normalise_phone(value)
        out = (self.hash(r.e164) if r.e164 else None), r.kind, r.last4
        if key is not None:
            if len(self._one) >= self.MAX_CACHE:
                self._one.clear()
            self._one[key] = out
        return out

    def column(self, arr: pa.Array) -> dict[str, pa.Array]:
        """`_hash` and `_kind` columns of a column of raw phone values, classified with
        Arrow kernels (the same rules as normalise_phone, which the tests hold them to). Each
        distinct number of the batch is hashed through the cache, then spread with one take.
        (Looking the batch up in an Arrow array of every number seen rebuilt a hash table of up to
        a million numbers twice a batch: ~10% of reading a 1M-customer landing.)"""
        kinds, e164, last4 = classify_fast(arr)
        uniq = pc.unique(e164).drop_null()
        hashes = pa.array([self.hash(u) for u in uniq.to_pylist()], pa.string())
        # no digits beside the hash: with a known or weak salt, last-4 digits leave ~7x10^5 candidates
        # per mainland mobile, which a laptop enumerates in seconds
        return {"_hash": hashes.take(pc.index_in(e164, value_set=uniq)), "_kind": kinds}


_NULL = pa.scalar(None, pa.string())
_RE2_SEPARATORS = r"[\s\-－()（）\x{3000}]"
_RE2_PREFIX = r"^(?:\+86(.*)|0086(.*)|86(\d{11})|(.*))$"
_RE2_EQUAL = "^(?:" + "|".join(f"{d}{{11}}" for d in "0123456789") + ")$"


def classify_fast(arr: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """classify(), with plain 11-digit numbers and blanks (nearly all values) done by three cheap
    kernels and only the rest put through the full set of regexes (~1.4 µs a value)."""
    if not pa.types.is_string(arr.type):
        return classify(arr)
    s = pc.utf8_trim_whitespace(arr)
    plain = pc.fill_null(pc.match_substring_regex(s, r"^1\d{10}$"), False)
    rest = pc.fill_null(pc.and_(pc.invert(plain), pc.not_equal(s, "")), False)
    if pc.any(rest).as_py():
        sub = _classify_rest(s.filter(rest))
        full = [pc.replace_with_mask(pa.nulls(len(s), pa.string()), rest, part) for part in sub]
    else:
        full = [pa.nulls(len(s), pa.string())] * 3
    placeholder = pc.or_(
        pc.is_in(s, value_set=pa.array(sorted(PLACEHOLDERS))), pc.match_substring_regex(s, _RE2_EQUAL)
    )
    kind = pc.coalesce(full[0], pc.if_else(plain, pc.if_else(placeholder, "placeholder", "valid"), "empty"))
    e164 = pc.coalesce(full[1], pc.if_else(plain, pc.binary_join_element_wise("+86", s, ""), _NULL))
    last4 = pc.coalesce(full[2], pc.if_else(plain, pc.utf8_slice_codeunits(s, -4), _NULL))
    return kind, e164, last4


def _classify_rest(s: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """classify() of trimmed values, with masked numbers as platforms mask them (138****5678:
    every Douyin and most Tmall buyer phones) done by one kernel: masked, no E.164, the last 4."""
    masked = pc.fill_null(pc.match_substring_regex(s, r"^1\d{2}\*{4}\d{4}$"), False)
    if not pc.any(masked).as_py():
        return classify(s)
    hard = pc.invert(masked)
    if pc.any(hard).as_py():
        other = [
            pc.replace_with_mask(pa.nulls(len(s), pa.string()), hard, part)
            for part in classify(s.filter(hard))
        ]
    else:
        other = [pa.nulls(len(s), pa.string())] * 3
    kind = pc.if_else(masked, "masked", other[0])
    return kind, other[1], pc.if_else(masked, pc.utf8_slice_codeunits(s, -4), other[2])


def classify(arr: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """(kind, E.164 or null, last4 or null) per value, vectorised."""
    if pa.types.is_floating(arr.type):
        integral = pc.equal(pc.floor(arr), arr)
        arr = pc.if_else(
            integral,
            pc.cast(pc.if_else(integral, arr, 0.0), pa.int64()).cast(pa.string()),
            pc.cast(arr, pa.string()),
        )
    elif pa.types.is_boolean(arr.type):
        arr = pc.if_else(arr.is_valid(), pa.scalar("\x00bool"), pa.scalar(None, pa.string()))
    elif not pa.types.is_string(arr.type):
        arr = pc.cast(arr, pa.string())
    s = pc.utf8_trim_whitespace(arr)
    empty = pc.invert(pc.fill_null(pc.not_equal(s, ""), False))
    c = pc.replace_substring_regex(s, _RE2_SEPARATORS, "")
    starred = pc.match_substring(c, "*")
    masked = pc.and_(starred, pc.match_substring_regex(c, _MASKED.pattern))
    d = pc.replace_substring_regex(c, _RE2_PREFIX, r"\1\2\3\4")
    eleven = pc.match_substring_regex(d, r"^\d{11}$")
    placeholder = pc.and_(
        eleven,
        pc.or_(
            pc.is_in(d, value_set=pa.array(sorted(PLACEHOLDERS))), pc.match_substring_regex(d, _RE2_EQUAL)
        ),
    )
    valid = pc.match_substring_regex(d, r"^1\d{10}$")
    encrypted = pc.and_(
        pc.and_(
            pc.greater_equal(pc.utf8_length(d), _ENCRYPTED_MIN_LEN),
            pc.invert(pc.match_substring_regex(d, r"^\+?\d+$")),
        ),
        pc.match_substring_regex(d, r"^[\x21-\x7e]+$"),
    )
    kind = pc.case_when(
        pc.make_struct(empty, starred, placeholder, valid, encrypted),
        "empty",
        pc.if_else(masked, "masked", "invalid"),
        "placeholder",
        "valid",
        "encrypted",
        "invalid",
    )
    hashable = pc.is_in(kind, value_set=pa.array(HASHABLE_KINDS))
    e164 = pc.if_else(hashable, pc.binary_join_element_wise("+86", d, ""), pa.scalar(None, pa.string()))
    tail = pc.utf8_slice_codeunits(pc.if_else(masked, c, d), -4)
    last4 = pc.if_else(
        pc.or_(hashable, pc.and_(pc.equal(kind, "masked"), pc.match_substring_regex(tail, r"^\d{4}$"))),
        tail,
        pa.scalar(None, pa.string()),
    )
    return kind, e164, last4
