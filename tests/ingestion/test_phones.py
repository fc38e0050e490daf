"""Phone normalisation: every shape a phone arrives in maps to one kind, and the valid shapes of
one number to one keyed hash."""

import hashlib
import hmac

import pyarrow as pa
import pytest

from ingestion.normalise.phone_columns import PhoneHasher, classify, classify_fast
from ingestion.normalise.phones import hash_phone, normalise_phone

SALT = b"s3cret"
SAME_NUMBER = [
    "13812345678",
    "+86 138 1234 5678",
    "86-13812345678",
    "0086 138-1234-5678",
    "(+86)138 1234 5678",
    " 138 1234 5678 ",
    13812345678,
    13812345678.0,
    "+86（138）12345678",
]
CORPUS = SAME_NUMBER + [
    "138****5678",
    "+86 138****5678",
    "1**********",
    "13800138000",
    "00000000000",
    "11111111111",
    "12345678901",
    "$Ma8eMM7zwRiUVg3asz4KQ$",
    "a3f1c9e0b7d24c55a3f1c9e0b7d24c55",
    "#x2Lk9=Yt8PqRs7==#",
    "1381234567",
    "23812345678",
    "+1 415 555 0100",
    "12",
    "",
    "   ",
    None,
    "张三",
    "138-1234-567a",
]


@pytest.mark.parametrize("value", SAME_NUMBER)
def test_valid_formats_normalise_to_one_e164_and_hash(value):
    r = normalise_phone(value)
    assert r == ("valid", "+8613812345678", "5678")
    assert hash_phone(r.e164, SALT) == hash_phone("+8613812345678", SALT)


def test_hash_is_hmac_sha256_of_e164_with_the_salt():
    expected = hmac.new(SALT, b"+8613812345678", hashlib.sha256).hexdigest()
    assert hash_phone("+8613812345678", SALT) == expected
    assert hash_phone("+8613812345678", b"other") != expected
    assert PhoneHasher(SALT).hash("+8613812345678") == expected
    assert PhoneHasher(b"k" * 100).hash("+8613912345678") == hash_phone("+8613912345678", b"k" * 100)


@pytest.mark.parametrize(
    ("value", "kind", "last4"),
    [
        ("138****5678", "masked", "5678"),
        ("+86 138****5678", "masked", "5678"),
        ("1**********", "masked", None),
        ("$Ma8eMM7zwRiUVg3asz4KQ$", "encrypted", None),
        ("a3f1c9e0b7d24c55a3f1c9e0b7d24c55", "encrypted", None),
        ("1381234567", "invalid", None),
        ("23812345678", "invalid", None),
        ("+1 415 555 0100", "invalid", None),
        ("张三", "invalid", None),
        ("", "empty", None),
        ("   ", "empty", None),
        (None, "empty", None),
    ],
)
def test_unhashable_kinds(value, kind, last4):
    assert normalise_phone(value) == (kind, None, last4)
    assert PhoneHasher(SALT).one(value) == (None, kind, last4)


@pytest.mark.parametrize("value", ["13800138000", "00000000000", "11111111111", "99999999999", "12345678901"])
def test_placeholders_are_kept_and_hashed_but_marked(value):
    r = normalise_phone(value)
    assert r.kind == "placeholder" and r.e164 == "+86" + value and r.last4 == value[-4:]
    assert PhoneHasher(SALT).one(value)[0] == hash_phone(r.e164, SALT)


def test_vectorised_classification_agrees_with_normalise_phone():
    strings = [None if v is None else str(int(v)) if isinstance(v, float) else str(v) for v in CORPUS]
    expected = [normalise_phone(v) for v in strings]
    for fn in (classify, classify_fast):
        kinds, e164, last4 = fn(pa.array(strings, pa.string()))
        assert list(zip(kinds.to_pylist(), e164.to_pylist(), last4.to_pylist(), strict=True)) == expected
    ints = classify(pa.array([13812345678, None]))
    assert ints[0].to_pylist() == ["valid", "empty"]


def test_hasher_column_matches_per_value_results():
    hasher = PhoneHasher(SALT)
    strings = [v if v is None else str(v) for v in CORPUS if not isinstance(v, float)]
    cols = hasher.column(pa.array(strings, pa.string()))
    assert set(cols) == {"_hash", "_kind"}  # no digits of the phone beside its hash
    got = list(zip(cols["_hash"].to_pylist(), cols["_kind"].to_pylist(), strict=True))
    assert got == [hasher.one(v)[:2] for v in strings]
