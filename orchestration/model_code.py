"""Whether the incremental models were built by the code the project holds now.

An incremental model keeps the rows earlier nights computed: after an upgrade that changes one of
them — or a macro it uses, however deep — the rows of untouched keys would stay as the old code
made them, beside new rows made by the new one. So each night compares, per incremental model, a
fingerprint of its SQL and of every macro it calls (from dbt's manifest) with the one recorded when
the warehouse last published; any difference, or none recorded, makes the night a full refresh.
The record is `raw._incremental_code`, written by the publish step with the landing fingerprints
(`siyu rekey` drops schema raw, and with it the record: the next night rebuilds from scratch).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

TABLE = "raw._incremental_code"


def code_fingerprints(manifest: dict) -> dict[str, str]:
    """Per incremental model: sha256 of its SQL and of each macro it depends on, transitively."""
    macros = manifest.get("macros", {})
    # the project's overrides of the adapter's macros (its delete+insert) run inside the
    # materialization, not from the model: every incremental model depends on them
    overrides = [
        key for key, m in macros.items()
        if m.get("package_name") == "siyu" and m.get("name", "").startswith("duckdb__")
    ]
    out = {}
    for node in manifest.get("nodes", {}).values():
        incremental = node.get("config", {}).get("materialized") == "incremental"
        if node.get("resource_type") != "model" or not incremental:
            continue
        seen, stack = set(), [*node.get("depends_on", {}).get("macros", []), *overrides]
        while stack:
            macro = stack.pop()
            if macro in seen or macro not in macros:
                continue
            seen.add(macro)
            stack.extend(macros[macro].get("depends_on", {}).get("macros", []))
        digest = hashlib.sha256(node.get("raw_code", "").encode())
        for macro in sorted(seen):
            digest.update(macro.encode() + b"\0" + macros[macro].get("macro_sql", "").encode())
        out[node["name"]] = digest.hexdigest()
    return out


def load_manifest(target_dir: Path) -> dict:
    return json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))


def _has_table(con) -> bool:
    return con.execute(
        "select 1 from information_schema.tables where table_catalog = current_database() "
        "and table_schema = 'raw' and table_name = '_incremental_code'"
    ).fetchone() is not None


def changed_models(con, fingerprints: dict[str, str]) -> list[str]:
    """The incremental models whose code differs from what built them (all, if nothing is recorded)."""
    if not fingerprints:
        return []
    recorded = {}
    if _has_table(con):
        recorded = dict(con.execute(f"select model, fingerprint from {TABLE}").fetchall())
    return sorted(m for m, f in fingerprints.items() if recorded.get(m) != f)


def record(con, fingerprints: dict[str, str]) -> None:
    """Remember the code the published warehouse was built with."""
    con.execute("create schema if not exists raw")
    con.execute(
        f"create table if not exists {TABLE} (model varchar, fingerprint varchar, built_at timestamptz)"
    )
    con.execute(f"delete from {TABLE}")
    if fingerprints:
        con.executemany(f"insert into {TABLE} values (?, ?, now())", sorted(fingerprints.items()))
