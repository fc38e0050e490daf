"""Phone normalisation and keyed hashing: the only form in which a phone number reaches the warehouse.

Phones arrive as `13812345678`, `+86 138 1234 5678`, `86-13812345678`, `(0086)138…`, masked
`138****5678`, or encrypted blobs. A mainland mobile number is 11 digits starting with 1, stored as
E.164 `+86…` and then only as HMAC-SHA256(salt, e164). Masked and encrypted values cannot be hashed
into a linking key; placeholders are hashed like valid numbers (they stay data) but get their own
kind so the identity layer never links on them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import NamedTuple

# Separators people and exports put inside numbers: spaces (incl. the ideographic U+3000), dashes
# (incl. full-width －) and parentheses (incl. full-width （）).
_SEPARATORS = re.compile(r"[\s\-－()（）\u3000]")
_MASKED = re.compile(r"^(?:\+?86)?[0-9*]*\*[0-9*]*$")
_MOBILE = re.compile(r"^1\d{10}$")
_ELEVEN_DIGITS = re.compile(r"^\d{11}$")
# Encrypted phones (Douyin `$…$`/`#…#` blobs, base64, hex digests) are long and not plain digits;
# 16 characters is above any phone format (E.164 allows 15 digits) so a real number never qualifies.
_ENCRYPTED_MIN_LEN = 16
_PRINTABLE_ASCII = re.compile(r"^[\x21-\x7e]+$")
# Sample numbers from Chinese docs and form-filler favourites; eleven equal digits are caught by rule.
PLACEHOLDERS = frozenset({"13800138000", "12345678901", "12345678900", "01234567890", "10000000000"})
HASHABLE_KINDS = ("valid", "placeholder")


class PhoneResult(NamedTuple):
    kind: str
    e164: str | None
    last4: str | None


_EMPTY = PhoneResult("empty", None, None)
_INVALID = PhoneResult("invalid", None, None)


def normalise_phone(text: object) -> PhoneResult:
    """Classify one phone value as one of PHONE_KINDS, with its E.164 form when it has one."""
    if text is None or isinstance(text, bool):
        return _EMPTY if text is None else _INVALID
    if isinstance(text, float) and text.is_integer():
        text = int(text)  # a JSON number 13812345678.0 is still that number
    raw = str(text).strip()
    if not raw:
        return _EMPTY
    s = _SEPARATORS.sub("", raw)
    if "*" in s:
        if _MASKED.match(s):
            return PhoneResult("masked", None, s[-4:] if s[-4:].isdigit() else None)
        return _INVALID
    if s.startswith("+86"):
        s = s[3:]
    elif s.startswith("0086"):
        s = s[4:]
    elif s.startswith("86") and len(s) == 13:
        s = s[2:]
    if _ELEVEN_DIGITS.match(s) and (s in PLACEHOLDERS or s == s[0] * 11):
        return PhoneResult("placeholder", "+86" + s, s[-4:])
    if _MOBILE.match(s):
        return PhoneResult("valid", "+86" + s, s[-4:])
    if len(s) >= _ENCRYPTED_MIN_LEN and not s.lstrip("+").isdigit() and _PRINTABLE_ASCII.match(s):
        return PhoneResult("encrypted", None, None)
    return _INVALID


def hash_phone(e164: str, salt: bytes) -> str:
    """HMAC-SHA256(salt, e164) as hex: the linking key. Without the salt it cannot be reversed by
    enumerating the ~10^10 mobile numbers."""
    return hmac.new(salt, e164.encode("ascii"), hashlib.sha256).hexdigest()
