"""Personal data where no contract field expects it: a phone typed into a group name, an ID-card
number pasted into a note, a member card number that is the member's mobile, a page path whose
query string carries `mobile=…&name=…`.

- Free text that is stored (names of stores, groups, campaigns, products; notes) keeps its words,
  with mainland mobiles (any common format), ID-card numbers and e-mail addresses masked.
- An identifier whose whole value is a mobile, an ID-card number or an e-mail address is stored as
  its keyed hash (the phones' HMAC-SHA256 with the warehouse salt): it still joins and links as the
  same value everywhere, and nothing readable is kept.
- Page paths lose their query string and fragment (`pii="path"`).

Arrow's regular expressions (RE2) run over the whole column; Python touches only the rows that
match, which in real exports are a handful.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.contracts.model import ID_FORMATS
from ingestion.normalise.phones import hash_phone

_SEP = r"[\s\-]?"
MOBILE = r"(?:\+?86" + _SEP + r")?1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}"
ID_CARD = r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
# In free text: not inside a longer run of digits (an order number holding 11 phone-like digits).
_MASKS = (
    (r"(^|[^\d])" + MOBILE + r"($|[^\d])", r"\1[phone]\2"),
    (r"(^|[^\d])" + ID_CARD + r"($|[^\dXx])", r"\1[id_card]\2"),
    (EMAIL, "[email]"),
)
_ANY = "|".join(f"(?:{p})" for p in (MOBILE, ID_CARD, EMAIL))
_WHOLE = {"phone": f"^{MOBILE}$", "id_card": f"^{ID_CARD}$", "email": f"^{EMAIL}$"}
_ANY_WHOLE = "|".join(f"(?:{p})" for p in _WHOLE.values())  # one pass over the column


def mask_free_text(values: pa.Array) -> pa.Array:
    """Free text with mobiles, ID-card numbers and e-mail addresses masked."""
    if not len(values) or not pc.any(pc.match_substring_regex(values, _ANY)).as_py():
        return values
    for pattern, replacement in _MASKS:
        # twice: `a 13812345678 13912345678` — the separator between two numbers ends the first match
        for _ in range(2):
            values = pc.replace_substring_regex(values, pattern, replacement)
    return values


def strip_query(values: pa.Array) -> pa.Array:
    """A page path without its query string or fragment (`/p/item?mobile=…` → `/p/item`)."""
    return pc.replace_substring_regex(values, r"[?#].*$", "")


def hash_personal_ids(values: pa.Array, salt: bytes) -> pa.Array:
    """Identifiers that are a mobile, an ID-card number or an e-mail address, as keyed hashes."""
    if not len(values):
        return values
    hit = np.asarray(pc.match_substring_regex(values, _ANY_WHOLE).fill_null(False), bool)
    if not hit.any():
        return values
    out = values.to_pylist()
    for i in np.flatnonzero(hit).tolist():
        out[i] = hash_phone(_canonical(out[i]), salt)
    return pa.array(out, pa.string())


_PY_MASKS = tuple((re.compile(p), r.replace("\\1", "\\g<1>").replace("\\2", "\\g<2>")) for p, r in _MASKS)
_PY_WHOLE = tuple(re.compile(p) for p in _WHOLE.values())


def mask_text(value: str) -> str:
    """One free-text value, masked as mask_free_text masks a column (for nested JSON values)."""
    for pattern, replacement in _PY_MASKS:
        for _ in range(2):
            value = pattern.sub(replacement, value)
    return value


def hash_id(value: str, salt: bytes) -> str:
    """One identifier, hashed as hash_personal_ids hashes a column."""
    return hash_phone(_canonical(value), salt) if any(p.match(value) for p in _PY_WHOLE) else value


# Platform ids with a known format (WeChat openids, WeCom external_userids): one that is a phone, an
# ID-card number or an e-mail address is a mistyped column, never an id, and its row is quarantined;
# so is one of another format (malformed_id).
FORMATTED_IDS = ("openid", "external_userid")
# (the formats: ingestion.contracts.model.ID_FORMATS)
OPENID = ID_FORMATS["openid"]
EXTERNAL_USERID = ID_FORMATS["external_userid"]


def has_format(name: str) -> bool:
    return any(name == n or name.endswith("_" + n) for n in FORMATTED_IDS)


def id_format(name: str) -> str | None:
    """The regular expression a formatted id column's values match (None: not a formatted id)."""
    if name == "openid" or name.endswith("_openid"):
        return OPENID
    if name == "external_userid" or name.endswith("_external_userid"):
        return EXTERNAL_USERID
    return None


def malformed(values: pa.Array, name: str) -> np.ndarray:
    """Rows whose value is not of the column's id format (nulls are not malformed)."""
    regex = id_format(name)
    return np.zeros(len(values), bool) if regex is None else not_matching(values, regex)


def not_matching(values: pa.Array, regex: str) -> np.ndarray:
    """Rows whose text does not match `regex` (nulls match)."""
    if not len(values) or not pa.types.is_string(values.type):
        return np.zeros(len(values), bool)
    return ~np.asarray(pc.match_substring_regex(values, regex).fill_null(True), bool)


def whole_personal(values: pa.Array) -> np.ndarray:
    """Rows whose whole (trimmed) value is a mobile, an ID-card number or an e-mail address."""
    if not len(values) or not pa.types.is_string(values.type):
        return np.zeros(len(values), bool)
    return np.asarray(pc.match_substring_regex(values, _ANY_WHOLE).fill_null(False), bool)


def _canonical(value: str) -> str:
    """The form hashed: a mobile as E.164 (so it hashes as the same phone does in a phone field),
    an ID-card number upper-cased, an e-mail lower-cased."""
    digits = "".join(c for c in value if c.isdigit())
    if "@" not in value and len(digits) in (11, 13) and len(value) < 18 and digits[-11] == "1":
        return "+86" + digits[-11:]
    return value.upper() if "@" not in value else value.lower()
