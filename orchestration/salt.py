"""The phone salt: a secret strong enough to protect the phones it keys, and the one the warehouse
was built with.

Raw tables keep a phone's keyed hash beside its last four digits, which leaves about 7×10^5
candidates per mainland mobile: with a known or guessable salt each phone falls in seconds. So a
command that hashes refuses a missing salt, one under 32 bytes, a published one (the demo's, the
`.env.example` placeholder) and an obvious pattern. The demo's public salt is accepted only for the
demo's own folder (`var/demo/`), whose data is fictional.

The warehouse records HMAC-SHA256(salt, "siyu-salt-fingerprint") — never the salt — in
`raw._settings`, beside the hashes it vouches for. A run with another salt would silently replace
every phone hash and link of the days it loads and leave the rest under the old key, so it is
refused; `siyu rekey` rebuilds every hash under the new one (orchestration/rekey.py). A warehouse
built before the fingerprint existed adopts the salt of its next run (nothing can tell which salt
built it). With a 32-byte random salt the fingerprint gives an attacker nothing to test guesses
against faster than the phone hashes themselves.

Tests may use short salts (`PYTEST_CURRENT_TEST` is set): a fixture key, not a brand's data.
Missing and published salts are refused there too.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import duckdb

from orchestration.settings import DEMO_PHONE_SALT, ConfigError, demo_paths

MIN_SALT_BYTES = 32
MIN_DISTINCT_CHARACTERS = 8
GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
# The placeholder .env.example ships (tests/orchestration/test_salt.py keeps the two in step) and
# the one it shipped before; both are public, like the demo's.
ENV_EXAMPLE_SALT = "replace-with-the-output-of-the-command-above"
PUBLIC_SALTS = frozenset({DEMO_PHONE_SALT, ENV_EXAMPLE_SALT, "change-me-to-a-long-random-secret"})

SETTINGS_TABLE = "raw._settings"
FINGERPRINT_SETTING = "phone_salt_fingerprint"
FINGERPRINT_MESSAGE = b"siyu-salt-fingerprint"


class SaltMismatch(ConfigError):
    """The warehouse was built with another salt."""


def salt_problem(salt: bytes, warehouse: Path, landing: Path) -> str | None:
    """Why `salt` cannot key phones loaded from `landing` into `warehouse`, or None."""
    text = salt.decode("utf-8", "replace")
    if not text.strip():
        return "SIYU_PHONE_SALT is not set"
    if text in PUBLIC_SALTS:
        if text == DEMO_PHONE_SALT and (warehouse, landing) == demo_paths()[:2]:
            return None  # fictional data in the demo's own folder
        return "SIYU_PHONE_SALT is a published value (the demo's or .env.example's)"
    if tests_running():
        return None
    if len(salt) < MIN_SALT_BYTES:
        return f"SIYU_PHONE_SALT is {len(salt)} bytes, under {MIN_SALT_BYTES}"
    if len(set(text)) < MIN_DISTINCT_CHARACTERS or _repeats(text):
        return "SIYU_PHONE_SALT is an obvious pattern (a few characters, or a short run repeated)"
    return None


def tests_running() -> bool:
    """While pytest runs a test it sets PYTEST_CURRENT_TEST."""
    return "PYTEST_CURRENT_TEST" in os.environ


def _repeats(text: str) -> bool:
    """True when `text` is a run of at most half its length repeated ("abcabcabc…")."""
    return any(text == (text[:p] * (len(text) // p + 1))[: len(text)] for p in range(1, len(text) // 2 + 1))


def check_salt(salt: bytes, warehouse: Path, landing: Path) -> None:
    problem = salt_problem(salt, warehouse, landing)
    if problem:
        raise ConfigError(
            f"{problem}: phones are kept as HMAC-SHA256(salt, phone) beside their last four digits, "
            f"so a guessable salt gives them away. Generate one with {GENERATE}, put it in .env "
            "as SIYU_PHONE_SALT, and keep it (a warehouse refuses any other)"
        )


def fingerprint(salt: bytes) -> str:
    return hmac.new(salt, FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()


def recorded_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = con.execute(f"select value from {SETTINGS_TABLE} where name = ?",
                          [FINGERPRINT_SETTING]).fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def record_fingerprint(con: duckdb.DuckDBPyConnection, salt: bytes) -> None:
    con.execute("create schema if not exists raw")
    con.execute(f"create table if not exists {SETTINGS_TABLE} (name varchar primary key, value varchar, "
                "set_at timestamptz)")
    con.execute(f"insert or replace into {SETTINGS_TABLE} values (?, ?, now())",
                [FINGERPRINT_SETTING, fingerprint(salt)])


def check_warehouse_salt(con: duckdb.DuckDBPyConnection, salt: bytes) -> str:
    """'same' when the warehouse was built with `salt`, 'adopted' when it recorded none before (a new
    warehouse, or one built before fingerprints); SaltMismatch when it was built with another."""
    recorded = recorded_fingerprint(con)
    if recorded is None:
        record_fingerprint(con, salt)
        return "adopted"
    if not hmac.compare_digest(recorded, fingerprint(salt)):
        raise SaltMismatch(
            "this warehouse was built with another SIYU_PHONE_SALT (its fingerprint in "
            f"{SETTINGS_TABLE} differs): set the salt it was built with, or run `siyu rekey` to reload "
            "every landing day and rebuild identity under this one"
        )
    return "same"


def check_warehouse_file(warehouse: Path, salt: bytes) -> None:
    """check_warehouse_salt on the warehouse file, when it exists (a new one records at its first step)."""
    if warehouse.is_file():
        with duckdb.connect(str(warehouse)) as con:
            check_warehouse_salt(con, salt)
