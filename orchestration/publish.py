"""Publish the marts to a separate DuckDB file for BI tools.

DuckDB allows one writer and a reader blocks a writer, so dashboards never open the warehouse the
pipeline writes: they open this copy, which is rebuilt beside it and swapped in atomically.

What BI users receive carries no raw platform identifier (README, "What BI users receive"): every
mart is keyed by customer ids, and the identifiers `identity_map` and `identity_rejected` explain
(unionids, openids, external_userids, shop buyer ids, POS card numbers, Tmall nicks) are published
as keyed hashes. Whoever holds a unionid but not the warehouse salt cannot find its row.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("marts",)
# A spreadsheet opened on an export runs a cell that starts with one of these as a formula
# (`=HYPERLINK(…)` from a crafted group name or campaign id): published text starting with one is
# prefixed with an apostrophe, which spreadsheets read as "this is text".
FORMULA_START = r"^[=+@\t\r-]"
# Columns holding a raw identifier, in whichever published table: replaced by
# HMAC-SHA256(published-id key, value) as 64 hex digits. The same value hashes alike in every table
# and every night (so identity_map still joins identity_rejected, and counts by type and status
# hold), and the brand, holding the salt, can still find a given person's rows.
KEYED_COLUMNS = frozenset({"id_value"})
# Its own key: a published hash is never a phone hash (HMAC(salt, E.164)) nor a customer id's, so
# neither can be matched against the other (identity/registry.py derives ids the same way).
PUBLISHED_ID_LABEL = b"siyu published identifier v1"


def published_id_key(secret: bytes) -> bytes:
    """The key published identifiers are hashed with, derived from the warehouse salt."""
    if not secret:
        raise ValueError("publishing needs the warehouse secret (SIYU_PHONE_SALT); none was given")
    return hmac.new(secret, PUBLISHED_ID_LABEL, hashlib.sha256).digest()


def published_id(value: str, secret: bytes) -> str:
    """One identifier as the published copy shows it: how the brand finds a given person's rows."""
    return hmac.new(published_id_key(secret), value.encode(), hashlib.sha256).hexdigest()


def _hmac_sql(column: str, key: bytes) -> str:
    """HMAC-SHA256(key, column) in DuckDB's SQL (RFC 2104 over its sha256 of a blob), so millions of
    identifiers are hashed in the engine rather than row by row in Python."""
    block = key.ljust(64, b"\0")  # a 32-byte key is padded to SHA-256's 64-byte block
    ipad, opad = (bytes(b ^ pad for b in block).hex() for pad in (0x36, 0x5C))
    return f"sha256(unhex('{opad}') || unhex(sha256(unhex('{ipad}') || encode({column}))))"


def _select_list(con, schema: str, table: str, key: bytes) -> str:
    """A table's columns as published: identifiers hashed, formula-like text neutralised."""
    cols = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, table],
    ).fetchall()
    out = []
    for name, data_type in cols:
        q = '"' + name.replace('"', '""') + '"'
        if name in KEYED_COLUMNS:
            out.append(f"{_hmac_sql(q + '::varchar', key)} as {q}")
        elif data_type == "VARCHAR":
            formula = f"regexp_matches({q}, '{FORMULA_START}')"
            out.append(f"case when {formula} then chr(39) || {q} else {q} end as {q}")
        else:
            out.append(q)
    return ", ".join(out)


def publish(
    con: duckdb.DuckDBPyConnection, published: Path, *, secret: bytes,
    schemas: tuple[str, ...] = PUBLISHED_SCHEMAS,
) -> dict:
    """Copy every table and view of `schemas` into a fresh file, then replace `published` with it.
    `secret` is the warehouse salt, which keys the published identifiers."""
    key = published_id_key(secret)
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(published.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con.execute("attach '" + str(tmp).replace("'", "''") + "' as publish_target")
    counts: dict[str, int] = {}
    try:
        for schema in schemas:
            con.execute(f"create schema if not exists publish_target.{schema}")
            tables = con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = current_database() and table_schema = ? order by table_name",
                [schema],
            ).fetchall()
            for (table,) in tables:
                columns = _select_list(con, schema, table, key)
                source = f'{schema}."{table}"'
                con.execute(f"create table publish_target.{source} as select {columns} from {source}")
                counts[f"{schema}.{table}"] = con.execute(
                    f'select count(*) from publish_target.{schema}."{table}"'
                ).fetchone()[0]
    finally:
        con.execute("detach publish_target")
    os.replace(tmp, published)
    return counts
