"""JSON landing files: JSONL, a JSON array of objects, or one (pretty-printed) object, told apart by
content rather than extension. Records are cut into columns by the contract's key paths.

Parsing is DuckDB's JSON functions over a batch of lines held in Arrow (C++, on both cores, ~1 µs
a record) on a private in-memory database: parsing each line with orjson and pulling fields out
in Python cost 4-5 µs a record, well over the loader's whole budget.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import BinaryIO

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.contracts import Contract

from .encoding import CHUNK, UNDECODABLE, Utf8Blocks, body_codec, open_text
from .json_split import array_elements, line_array, piece_array, whole_document
from .readers import MAX_BATCH_BYTES, PYTHON_TYPES, FileInfo, RawBatch

# Drift (unknown keys) is looked for in these records of each batch: ~3% of a 50,000-row batch.
DRIFT_HEAD, DRIFT_EVERY = 500, 50
_scratch_lock = threading.Lock()
_scratch: list = []


def _cursor():
    """A cursor on a process-wide scratch database (one connection costs 50 ms, a cursor 0.5 ms)."""
    with _scratch_lock:
        if not _scratch:
            _scratch.append(duckdb.connect())
        return _scratch[0].cursor()


def json_batches(f: BinaryIO, info: FileInfo, contract: Contract, batch_rows: int) -> Iterator[RawBatch]:
    open_text(f, info.encoding)
    head = f.read(4096).lstrip()
    open_text(f, info.encoding)
    if head[:1] == b"[":
        info.fmt = "json"
        arrays = (
            piece_array(p)
            for p in array_elements(iter(lambda: f.read(CHUNK), b""), body_codec(info.encoding))
        )
    elif info.fmt == "json" and head[:1] == b"{" and (doc := whole_document(f, info.encoding)) is not None:
        arrays = iter([piece_array([doc])])
    else:
        arrays = (line_array(block) for block in Utf8Blocks(f, info.encoding))
    con = _cursor()
    try:
        row, buf, size = 0, [], 0
        for arr in arrays:
            buf.append(arr)
            size += arr.nbytes
            rows = sum(len(a) for a in buf)
            while rows >= batch_rows or (size >= MAX_BATCH_BYTES and rows):
                lines = pa.concat_arrays(buf)
                take = min(batch_rows, len(lines))
                yield _extract(con, lines.slice(0, take), row, info, contract)
                row, buf, rows = row + take, [lines.slice(take)], rows - take
                size = buf[0].nbytes
        lines = pa.concat_arrays(buf) if buf else pa.array([], pa.string())
        if len(lines):
            yield _extract(con, lines, row, info, contract)
    finally:
        con.close()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _path(parts: list[str]) -> str:
    return "$." + ".".join('"' + p.replace('"', '\\"') + '"' for p in parts)


def _extract(con, lines: pa.Array, first_row: int, info: FileInfo, contract: Contract) -> RawBatch:
    n = len(lines)
    batch = RawBatch(list(range(first_row + 1, first_row + n + 1)), lines, {})
    undecodable = np.asarray(pc.equal(lines, UNDECODABLE).to_numpy(zero_copy_only=False), bool)
    objects = np.asarray(pc.starts_with(lines, "{").to_numpy(zero_copy_only=False), bool) & ~undecodable
    try:
        table = _query(con, lines, objects, contract)
    except duckdb.Error:  # a line that is not JSON: find which, then extract from the others
        con.register("_siyu_lines", pa.table({"line": lines}))
        valid = con.sql("select json_valid(line) as ok from _siyu_lines").to_arrow_table().column(0)
        con.unregister("_siyu_lines")
        valid = np.asarray(valid.to_numpy(zero_copy_only=False), bool)
        for k in np.flatnonzero(objects & ~valid).tolist():
            batch.errors[k] = ("unparseable_record", "invalid JSON (truncated or malformed)")
        objects &= valid
        table = _query(con, lines, objects, contract)
    for k in np.flatnonzero(~objects).tolist():
        if k not in batch.errors:
            batch.errors[k] = (
                ("undecodable_bytes", f"bytes not valid in {info.encoding}")
                if undecodable[k]
                else ("unparseable_record", "not a JSON object")
            )
    if batch.errors:
        bad = np.zeros(n, bool)
        bad[list(batch.errors)] = True
        batch.records = pc.if_else(pa.array(bad), pa.scalar(None, pa.string()), lines)
    for f in contract.fields:
        col = table.column(f.name).combine_chunks()
        keep_text = f.type == "json" and not f.drop_keys  # DuckDB's JSON text is stored as is
        batch.columns[f.name] = col.to_pylist() if f.type in PYTHON_TYPES and not keep_text else col
    _drift(con, lines, objects, contract, info)
    return batch


def _query(con, lines: pa.Array, objects: np.ndarray, contract: Contract) -> pa.Table:
    """One row per line: every field as text (JSON text for json fields), plus the key sets the
    drift check reads. Lines that are not objects are replaced by {} so the query cannot fail on them."""
    safe = pc.if_else(pa.array(objects), lines, "{}") if not objects.all() else lines
    con.register("_siyu_lines", pa.table({"line": safe}))
    text = [f for f in contract.fields if f.type != "json"]
    nested = [f for f in contract.fields if f.type == "json"]
    select = []
    if text:
        paths = ", ".join(f"'{_path(f.path.split('.'))}'" for f in text)
        select.append(f"json_extract_string(o, [{paths}]) as t")
    if nested:
        paths = ", ".join(f"'{_path(f.path.split('.'))}'" for f in nested)
        select.append(f"json_extract(o, [{paths}]) as j")
    cols = [f"t[{i + 1}] as {_q(f.name)}" for i, f in enumerate(text)]
    cols += [f"nullif(j[{i + 1}]::varchar, 'null') as {_q(f.name)}" for i, f in enumerate(nested)]
    sql = (
        f"with x as (select {', '.join(select)} from (select {_object(contract)} as o from _siyu_lines)) "
        f"select {', '.join(cols)} from x"
    )
    try:
        return con.sql(sql).to_arrow_table()
    finally:
        con.unregister("_siyu_lines")


def _object(contract: Contract) -> str:
    """SQL for the record object of a line: the line itself, or what its root envelope holds."""
    if not contract.root:
        return "line"
    root = _path([contract.root])
    inner = f"json_extract(line, '{root}')"
    return f"(case when json_type(line, '{root}') = 'OBJECT' then {inner} else line::json end)"


def _known_keys(contract: Contract) -> dict[str, set[str]]:
    """Per object level ('' = the record, 'follow_info', …), the keys the contract's paths use."""
    known: dict[str, set] = {}
    for f in contract.fields:
        parts = f.path.split(".")
        for i, key in enumerate(parts):
            known.setdefault(".".join(parts[:i]), set()).add(key)
    return known


def _drift(con, lines: pa.Array, objects: np.ndarray, contract: Contract, info: FileInfo) -> None:
    """Keys no contract path names, per object level (top level, `follow_info`, …), looked for in
    the first DRIFT_HEAD records of a batch and every DRIFT_EVERY-th after: listing keys costs more
    than extracting the fields, and a platform that adds a field adds it to every record."""
    sample = np.flatnonzero(
        objects & ((np.arange(len(lines)) < DRIFT_HEAD) | (np.arange(len(lines)) % DRIFT_EVERY == 0))
    )
    if not len(sample):
        return
    con.register("_siyu_sample", pa.table({"line": lines.take(pa.array(sample))}))
    try:
        for parent, keys in _known_keys(contract).items():
            path = f", '{_path(parent.split('.'))}'" if parent else ""
            seen = con.sql(
                f"select distinct unnest(json_keys(o{path})) from "
                f"(select {_object(contract)} as o from _siyu_sample)"
            ).fetchall()
            info.extra_columns.update(f"{parent}.{k}" if parent else k for (k,) in seen if k not in keys)
    finally:
        con.unregister("_siyu_sample")
