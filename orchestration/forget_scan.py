"""`siyu forget`, outside the warehouse's tables: Dagster's run storage and the Data Docs are
cleaned, then every store is searched for the person's values and hashes, and the landing files
still holding them are listed (forget never edits the brand's files).

Dagster keeps each run's events in `$DAGSTER_HOME/history/runs/<run_id>.db` (and copies of asset
events in `index.db`): a run whose events name the person is deleted through the instance, then
every SQLite file is vacuumed, so the deleted pages do not keep the bytes. Our assets log counts
and file names only (quality/repeats.py hides a person's key in conflict warnings); older runs
may still carry values. Data Docs pages are redacted in place.
"""

from __future__ import annotations

import html
import sqlite3
import zipfile
from pathlib import Path

import duckdb

from ingestion.write.rawdb import q
from orchestration.forget_erase import ERASED

SKIP_TABLES = {("raw", "_suppressed")}  # the keyed entries themselves
LANDING_ENCODINGS = ("utf-8", "gb18030", "utf-16-le", "utf-16-be")  # ingestion/read/encoding.py


def _variants(needles: list[str]) -> list[bytes]:
    out = set()
    for n in needles:
        for text in (n, html.escape(n), html.escape(n, quote=False)):
            for encoding in LANDING_ENCODINGS:
                out.add(text.encode(encoding, "ignore"))
    return sorted(b for b in out if b)


def file_hits(path: Path, needles: list[str]) -> bool:
    """Whether a file's bytes (an xlsx's unpacked parts) hold any of the values."""
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".xlsx" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                data = b"".join(z.read(i) for i in z.infolist() if i.file_size < 1 << 30)
    except (OSError, zipfile.BadZipFile):
        return False
    return any(v in data for v in _variants(needles))


def files_holding(root: Path, needles: list[str]) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink() and file_hits(p, needles)
    )


def delete_exports(root: Path, needles: list[str]) -> int:
    """Delete the export files (guides' task lists, `siyu export guides` / the nightly asset: .csv and
    .xlsx under <warehouse folder>/exports/) that name the person; tonight's lists, written by the
    rebuild, no longer do. Only those two kinds of file, never a link."""
    if not root.is_dir():
        return 0
    deleted = 0
    for rel in files_holding(root, needles):
        path = root / rel
        if path.suffix in (".csv", ".xlsx") and path.is_file() and not path.is_symlink():
            path.unlink()
            deleted += 1
    return deleted


def redact_docs(root: Path, needles: list[str]) -> int:
    """Replace the values in the Data Docs' files; returns the files changed."""
    changed = 0
    for path in [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        new = text
        for n in needles:
            for form in {n, html.escape(n), html.escape(n, quote=False)}:
                new = new.replace(form, ERASED)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def clean_dagster(home: Path, needles: list[str]) -> int:
    """Delete the runs whose stored events hold a value, then vacuum every SQLite file; returns how
    many runs were deleted."""
    runs = home / "history" / "runs"
    hit = (
        [p.stem for p in runs.glob("*.db") if p.stem != "index" and file_hits(p, needles)]
        if runs.is_dir()
        else []
    )
    if hit:
        from dagster import DagsterInstance

        instance = DagsterInstance.get()
        for run_id in hit:
            if instance.has_run(run_id):
                instance.delete_run(run_id)
            (runs / f"{run_id}.db").unlink(missing_ok=True)
    for path in home.rglob("*.db"):
        try:
            with sqlite3.connect(path) as db:
                db.execute("vacuum")
        except sqlite3.Error:
            continue
    return len(hit)


def duckdb_hits(path: Path, needles: list[str]) -> dict[str, int]:
    """'schema.table.column' -> rows holding a value, over every text, JSON and list column."""
    if not path.is_file():
        return {}
    out: dict[str, int] = {}
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() where "
            "database_name = current_database() and (data_type in ('VARCHAR', 'JSON') "
            "or data_type like '%[]' "
            "or data_type like 'STRUCT%' or data_type like 'MAP%')"
        ).fetchall()
        for schema, table, column in columns:
            if (schema, table) in SKIP_TABLES:
                continue
            text = f"{q(column)}::varchar"
            n = con.execute(
                f"select count(*) from {q(schema)}.{q(table)} where list_bool_or("
                f"list_transform($v::varchar[], lambda v: contains({text}, v)))",
                {"v": needles},
            ).fetchall()[0][0]
            if n:
                out[f"{schema}.{table}.{column}"] = n
    return out


def scan(stores: dict[str, Path], needles: list[str]) -> dict[str, object]:
    """Where a value is still found: tables of the DuckDB files, files of the folders."""
    found: dict[str, object] = {}
    for name, path in stores.items():
        if path.suffix == ".duckdb":
            hits = duckdb_hits(path, needles)
        else:
            hits = files_holding(path, needles)
        if hits:
            found[name] = hits
    return found
