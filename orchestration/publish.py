"""Publish the marts to a separate DuckDB file for BI tools.

DuckDB allows one writer and a reader blocks a writer, so dashboards never open the warehouse the
pipeline writes: they open this copy, which is rebuilt beside it and swapped in atomically.

What BI users receive carries no raw platform identifier (README, "What BI users receive"): every
mart is keyed by customer ids, and the identifiers `identity_map` and `identity_rejected` explain
(unionids, openids, external_userids, shop buyer ids, POS card numbers, Tmall nicks) are published
as keyed hashes. Whoever holds a unionid but not the warehouse salt cannot find its row.

The copy is written in an older storage format (PUBLISHED_STORAGE_VERSION) so that BI tools bundling
DuckDB 1.x open it, and carries the dbt docs' descriptions as table and column comments, which
Metabase, Superset and DBeaver show beside each column.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
from pathlib import Path

import duckdb

from orchestration.publish_quality import copy_quality_summary
from orchestration.settings import ConfigError

PUBLISHED_SCHEMAS = ("marts",)
# DuckDB 2.0 writes storage version 999 by default, which every 1.x reader refuses ("Trying to read a
# database file with version number 999"); BI tools bundle their own DuckDB (Metabase's driver,
# duckdb-engine's wheel, DBeaver's JDBC jar), often a year old. 'v1.1.0' means "readable by DuckDB
# 1.1.0 and every later version" (DuckDB's storage docs); the marts use only types 1.1 has (integers,
# DECIMAL, DOUBLE, BOOLEAN, VARCHAR, DATE, TIMESTAMPTZ). SIYU_PUBLISHED_STORAGE_VERSION overrides it.
PUBLISHED_STORAGE_VERSION = "v1.1.0"
# A spreadsheet opened on an export runs a cell that starts with one of these as a formula
# (`=HYPERLINK(…)` from a crafted group name or campaign id): published text starting with one is
# prefixed with an apostrophe, which spreadsheets read as "this is text".
FORMULA_START = r"^[=+@\t\r-]"
# The same test in SQL, on the first character's code point (tests/orchestration/test_publish.py holds
# the two equal): with a regular expression per published text cell the copy of a 1,000,000-customer
# brand's marts took 7.7-8.2 s, with this 6.9-7.2 s
FORMULA_CODES = ", ".join(str(ord(c)) for c in "=+@\t\r-")
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
            formula = f"ascii({q}) in ({FORMULA_CODES})"
            out.append(f"case when {formula} then chr(39) || {q} else {q} end as {q}")
        else:
            out.append(q)
    return ", ".join(out)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def dbt_descriptions(manifest_path: Path, schema: str = "marts") -> dict[str, tuple[str, dict[str, str]]]:
    """{table: (description, {column: description})} for every dbt model and source of `schema`,
    from the manifest dbt writes at parse (what dbt docs show). The copy is made with CREATE TABLE AS,
    which carries no comments, so they are written from here rather than with dbt's persist_docs."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for node in [*manifest["nodes"].values(), *manifest["sources"].values()]:
        if node["resource_type"] in ("model", "source") and node.get("schema") == schema:
            name = node.get("alias") or node.get("identifier") or node["name"]
            columns = {c: (v.get("description") or "").strip() for c, v in node["columns"].items()}
            out[name] = ((node.get("description") or "").strip(), columns)
    return out


def _comment(con, table: str, described: tuple[str, dict[str, str]] | None) -> None:
    """COMMENT ON the published table and each of its columns that dbt describes."""
    if described is None:
        return
    text, columns = described
    if text:
        con.execute(f"comment on table {table} is {_literal(text)}")
    for column, note in columns.items():
        if note:
            quoted = '"' + column.replace('"', '""') + '"'
            con.execute(f"comment on column {table}.{quoted} is {_literal(note)}")


def publish(
    con: duckdb.DuckDBPyConnection, published: Path, *, secret: bytes,
    schemas: tuple[str, ...] = PUBLISHED_SCHEMAS, storage_version: str = PUBLISHED_STORAGE_VERSION,
    descriptions: dict[str, tuple[str, dict[str, str]]] | None = None,
) -> dict:
    """Copy every table and view of `schemas` into a fresh file, then replace `published` with it.
    `secret` is the warehouse salt, which keys the published identifiers; `descriptions` (from
    dbt_descriptions) become the tables' and columns' comments."""
    key = published_id_key(secret)
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(published.name + ".tmp")
    tmp.unlink(missing_ok=True)
    options = f"storage_version {_literal(storage_version)}"
    con.execute(f"attach {_literal(str(tmp))} as publish_target ({options})")
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
                _comment(con, f"publish_target.{source}", (descriptions or {}).get(table))
                counts[f"{schema}.{table}"] = con.execute(
                    f'select count(*) from publish_target.{schema}."{table}"'
                ).fetchone()[0]
        copy_quality_summary(con, "publish_target")  # counts only, for the dashboard's quality page
    finally:
        con.execute("detach publish_target")
    os.replace(tmp, published)
    return counts


MARKER = ".siyu-parquet-export"  # an export folder siyu may replace; any other is left alone


def _ours(folder: Path) -> bool:
    """A folder siyu may delete: its own export (marked), or empty."""
    return folder.is_dir() and not folder.is_symlink() and (
        (folder / MARKER).is_file() or not any(folder.iterdir())
    )


def export_parquet(published: Path, folder: Path, schema: str = "marts") -> dict[str, int]:
    """One Parquet file per published table (`<folder>/<table>.parquet`), read from the published
    copy, so its identifiers are the copy's keyed hashes. For tools that prefer files to a DuckDB
    database (Spark, pandas, Power BI's Parquet connector). Written into a fresh folder beside
    `folder` and swapped in: a reader sees the last night's files or tonight's, never a mix. Only a
    folder siyu wrote (marked) or an empty one is ever replaced or deleted."""
    folder = Path(folder)
    fresh = folder.with_name(folder.name + ".tmp")
    old = folder.with_name(folder.name + ".old")
    for path in (folder, fresh, old):
        if (path.exists() or path.is_symlink()) and not _ours(path):
            raise ConfigError(f"SIYU_PUBLISHED_PARQUET: {path} holds what siyu did not write (or is not "
                              "a folder): point SIYU_PUBLISHED_PARQUET at a new or empty folder of its own")
    for leftover in (fresh, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh.mkdir()
    (fresh / MARKER).write_text("Written by siyu's publish step; replaced every night.\n")
    rows: dict[str, int] = {}
    with duckdb.connect(str(published), read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
        ).fetchall()
        for (table,) in tables:
            target = fresh / f"{table}.parquet"
            con.execute(f'copy {schema}."{table}" to {_literal(str(target))} (format parquet)')
            rows[table] = con.execute(f'select count(*) from {schema}."{table}"').fetchone()[0]
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    if old.exists():
        shutil.rmtree(old)
    return rows
