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
from ingestion.read.encoding import CHUNK, UNDECODABLE, Utf8Blocks, body_codec, open_text
from ingestion.read.json_pages import API_ERROR, unwrap_pages
from ingestion.read.json_split import array_elements, line_array, piece_array, split_joined, whole_document
from ingestion.read.readers import MAX_BATCH_BYTES, PYTHON_TYPES, FileInfo, RawBatch

# A JSON record larger than this is quarantined unread: a Youzan order of 500 lines is ~0.5 MB, and
# parsing a 100 MB line would hold it several times over in memory.
MAX_RECORD_BYTES = 16 << 20
# Drift (unknown keys) is looked for in these records of each batch: ~3% of a 50,000-row batch.
DRIFT_HEAD, DRIFT_EVERY = 500, 50
_scratch_lock = threading.Lock()
_scratch: list = []
_local = threading.local()


def _cursor():
    """This thread's cursor on a process-wide scratch database: one connection costs 50 ms, a
    cursor 0.5-1.5 ms, which a landing of 1,000 small files paid once per file. A cursor serves
    one thread at a time, so each reading thread keeps its own."""
    cur = getattr(_local, "cursor", None)
    if cur is None:
        with _scratch_lock:
            if not _scratch:
                _scratch.append(duckdb.connect())
            cur = _local.cursor = _scratch[0].cursor()
    return cur


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
        arrays = (split_joined(line_array(block)) for block in Utf8Blocks(f, info.encoding))
    arrays = (unwrap_pages(a, contract) for a in arrays)
    con = _cursor()
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


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _path(parts: list[str]) -> str:
    return "$." + ".".join('"' + p.replace('"', '\\"') + '"' for p in parts)


def _extract(con, lines: pa.Array, first_row: int, info: FileInfo, contract: Contract) -> RawBatch:
    n = len(lines)
    batch = RawBatch(list(range(first_row + 1, first_row + n + 1)), lines, {})
    undecodable = np.asarray(pc.equal(lines, UNDECODABLE).to_numpy(zero_copy_only=False), bool)
    sizes = np.asarray(pc.binary_length(lines).fill_null(0).to_numpy(), np.int64)
    too_large = sizes > MAX_RECORD_BYTES
    for k in np.flatnonzero(too_large).tolist():
        batch.errors[k] = ("record_too_large", f"a record of {sizes[k]:,} bytes")
    api_errors = np.asarray(pc.starts_with(lines, API_ERROR).to_numpy(zero_copy_only=False), bool)
    for k in np.flatnonzero(api_errors).tolist():
        batch.errors[k] = ("api_error_response", lines[k].as_py()[len(API_ERROR):])
    objects = np.asarray(pc.starts_with(lines, "{").to_numpy(zero_copy_only=False), bool) & ~undecodable
    objects &= ~too_large
    sample = objects & ((np.arange(n) < DRIFT_HEAD) | (np.arange(n) % DRIFT_EVERY == 0))
    table = _query(con, lines, objects, sample, contract)
    valid = np.asarray(table.column("_valid").to_numpy(), bool)
    for k in np.flatnonzero(objects & ~valid).tolist():
        batch.errors[k] = ("unparseable_record", "invalid JSON (truncated or malformed)")
    objects &= valid
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
        keep_text = f.type == "json" and not f.items  # stored as DuckDB wrote it
        batch.columns[f.name] = col.to_pylist() if f.type in PYTHON_TYPES and not keep_text else col
    _drift(table, contract, info)
    return batch


def _query(con, lines: pa.Array, objects: np.ndarray, sample: np.ndarray, contract: Contract) -> pa.Table:
    """One row per line, from one scan: whether it is well-formed JSON (`_valid`), every field as
    text (JSON text for json fields), and for the drift sample the key list of every object level
    the contract reads (`_keys<i>`). Lines that are not well-formed objects are swapped for {}
    before extracting, so the query cannot fail on them. Measured on the simulated landing, this
    beats a batch that fails on a truncated line and runs again (~40% of JSON reading), a separate
    json_valid query (~2.5 ms more per batch; most files there are under 1,000 lines), and
    CASE WHEN json_valid around each extraction (~15% slower: results copied through a selection)."""
    con.register("_siyu_lines", pa.table({"line": lines, "obj": pa.array(objects), "s": pa.array(sample)}))
    text = [f for f in contract.fields if f.type != "json"]
    nested = [f for f in contract.fields if f.type == "json"]
    select = []
    if text:
        paths = ", ".join(f"'{_path(f.path.split('.'))}'" for f in text)
        select.append(f"json_extract_string(o, [{paths}]) as t")
    if nested:
        paths = ", ".join(f"'{_path(f.path.split('.'))}'" for f in nested)
        select.append(f"json_extract(o, [{paths}]) as j")
    known = _known_keys(contract)
    for i, parent in enumerate(known):
        path = f", '{_path(parent.split('.'))}'" if parent else ""
        select.append(f"case when s and v then json_keys(o{path}) end as _keys{i}")
    cols = [f"t[{i + 1}] as {_q(f.name)}" for i, f in enumerate(text)]
    cols += [f"nullif(j[{i + 1}]::varchar, 'null') as {_q(f.name)}" for i, f in enumerate(nested)]
    cols += ["v as _valid"] + [f"_keys{i}" for i in range(len(known))]
    checked = (
        "select case when obj and v then line else '{}' end as line, s, v "
        "from (select line, obj, s, json_valid(line) as v from _siyu_lines)"
    )
    objects = f"select {_object(contract)} as o, s, v from ({checked})"
    sql = f"with x as (select {', '.join(select)}, v from ({objects})) select {', '.join(cols)} from x"
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


def _drift(table: pa.Table, contract: Contract, info: FileInfo) -> None:
    """Keys no contract path names, per object level (top level, `follow_info`, …), looked for in
    the first DRIFT_HEAD records of a batch and every DRIFT_EVERY-th after: listing keys costs more
    than extracting the fields, and a platform that adds a field adds it to every record."""
    for i, (parent, keys) in enumerate(_known_keys(contract).items()):
        seen = pc.unique(pc.list_flatten(table.column(f"_keys{i}"))).to_pylist()
        info.extra_columns.update(
            f"{parent}.{k}" if parent else k for k in seen if k is not None and k not in keys
        )
