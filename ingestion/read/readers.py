"""Read a landing file into batches of raw columns, one list per contract field.

Every record the file offers comes out as one row of a batch, readable or not: unreadable rows
carry a (reason, detail) instead of values, so the loader can account for every row. CSV and .xlsx
are matched to the contract by header (the platform's name in `Field.source`, or `Field.name`);
JSON and JSONL by key path (json_reader.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.contracts import Contract
from ingestion.read.encoding import as_utf8, detect_encoding

# The csv module refuses fields over 128 KiB by default; a pasted document in a free-text column
# can be 10 MB, and 1 GiB is well past anything an export writes while still catching runaways.
csv.field_size_limit(1 << 30)
# Besides batch_rows, flush a batch once it holds this many bytes of records, so a file of 10 MB
# fields cannot hold 50,000 of them in memory at once.
MAX_BATCH_BYTES = 64 << 20
# Spreadsheet rows gathered per step; a batch overshoots MAX_BATCH_BYTES by at most this many rows.
BLOCK_ROWS = 4096
PYTHON_TYPES = ("json",)  # field types handed to pyfields.py as Python values, not Arrow


class LandingFileError(Exception):
    """A landing file that cannot be read at all; the message names the file and why."""


@dataclass
class FileInfo:
    rel: str  # path relative to the landing root
    fmt: str  # csv, xlsx, json, jsonl
    encoding: str = ""  # utf-8, utf-8-sig, gb18030, utf-16, xlsx
    text_table: bool = False  # cells of an export (CSV/xlsx): trimmed, Excel ="…" unwrapped
    extra_columns: set[str] = field(default_factory=set)
    missing_columns: tuple[str, ...] = ()


@dataclass
class RawBatch:
    row_numbers: list[int]
    records: object  # record text per row (list of str/bytes, or Arrow); None if unreadable
    columns: dict  # field name -> raw values (Arrow array, or list for PYTHON_TYPES)
    errors: dict[int, tuple[str, str]] = field(default_factory=dict)  # row index -> (reason, detail)

    def __len__(self) -> int:
        return len(self.row_numbers)


def read_file(path: Path, info: FileInfo, contract: Contract, batch_rows: int) -> Iterator[RawBatch]:
    """Batches of the file's records; LandingFileError when the file cannot be read at all."""
    from ingestion.read.csv_reader import csv_batches
    from ingestion.read.json_reader import json_batches

    try:
        if path.stat().st_size == 0:
            info.encoding = info.encoding or ("xlsx" if info.fmt == "xlsx" else "utf-8")
            return
        if info.fmt == "xlsx":
            info.encoding, info.text_table = "xlsx", True
            yield from _xlsx_batches(path, info, contract, batch_rows)
            return
        with path.open("rb") as f, ExitStack() as copies:
            info.encoding = detect_encoding(f)
            if info.encoding == "utf-16":
                f = copies.enter_context(as_utf8(f))
            if info.fmt == "csv":
                info.text_table = True
                yield from csv_batches(f, info, contract, batch_rows)
            else:
                yield from json_batches(f, info, contract, batch_rows)
    except OSError as e:
        raise LandingFileError(f"{info.rel}: cannot be read: {e}") from e
    except (csv.Error, pa.ArrowInvalid) as e:  # a text the parsers cannot cut into records at all
        raise LandingFileError(f"{info.rel}: cannot be read as {info.fmt.upper()}: {e}") from e


def _sheet_rows(sheet) -> Iterator[list]:
    return ([_cell(v) for v in r] for r in sheet.iter_rows(values_only=True))


def _filled(row: list) -> bool:
    return any(c and c.strip() for c in row)


def _holds_table(sheet, contract: Contract) -> bool:
    rows = islice((r for r in _sheet_rows(sheet) if _filled(r)), HEADER_SEARCH_ROWS)
    return any(names_every_required_column(r, contract) for r in rows)


def _cell(v) -> str | None:
    """An .xlsx cell as the text a CSV export would hold."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S") + (f".{v.microsecond:06d}" if v.microsecond else "")
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    return str(v)


# An .xlsx is a zip: openpyxl expands its shared strings into memory whole. A seller-console export
# of 100,000 orders expands to ~60 MB, and 2 MB of zip can expand to 20 GB (a zip bomb): workbooks
# expanding past either limit are refused before anything is read.
MAX_XLSX_EXPANDED = 1 << 30
MAX_XLSX_RATIO = 200


def _check_expansion(path: Path, info: FileInfo) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            expanded = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile as e:
        raise LandingFileError(f"{info.rel}: not a readable .xlsx workbook (BadZipFile: {e})") from e
    packed = max(path.stat().st_size, 1)
    if expanded > MAX_XLSX_EXPANDED or (expanded > 64 << 20 and expanded / packed > MAX_XLSX_RATIO):
        raise LandingFileError(
            f"{info.rel}: refused: a {packed:,}-byte workbook that expands to {expanded:,} bytes "
            f"(limits: {MAX_XLSX_EXPANDED:,} bytes, or {MAX_XLSX_RATIO}x above 64 MiB) — re-export it as CSV"
        )


def _xlsx_batches(path: Path, info: FileInfo, contract: Contract, batch_rows: int) -> Iterator[RawBatch]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_expansion(path, info)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        sheets = [s for s in wb.worksheets if hasattr(s, "reset_dimensions")]  # not chart sheets
        for sheet in sheets:
            # The sheet's stated size (`<dimension ref="A1"/>`), which some exporters write wrong:
            # read-only openpyxl reads only that range, and a workbook stating A1 loaded nothing, silently.
            sheet.reset_dimensions()
        # The first sheet holding the table (a header in its first rows): an empty Sheet1 or a notes
        # sheet left before the export's own sheet made its rows lost, silently. Else the first sheet.
        sheet = next((s for s in sheets if _holds_table(s, contract)), sheets[0])
    except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError) as e:
        # KeyError: a zip without the workbook parts; IndexError: a workbook without sheets.
        raise LandingFileError(f"{info.rel}: not a readable .xlsx workbook ({type(e).__name__}: {e})") from e
    try:
        rows = (r for r in _sheet_rows(sheet) if _filled(r))  # empty sheet rows are not records
        blocks = iter(lambda: list(islice(rows, BLOCK_ROWS)), [])
        sized = ((b, sum(len(c) for r in b for c in r if c)) for b in blocks)
        yield from _table_batches(sized, info, contract, batch_rows)
    finally:
        wb.close()


# Exports from stores' and shops' back offices often open with a title and a line or two of notes
# (`门店销售流水`, `导出时间：…`) above the header: the first of the first rows that names every
# required column is the header, and the rows above it are no records. A file none of whose first
# rows does keeps its first row as the header (and lacks columns, as before).
HEADER_SEARCH_ROWS = 10


def column_name(cell: str | None) -> str:
    """A header cell's name: blanks around it dropped, and a BOM left before it (a file that a tool
    saved with a BOM on top of its own)."""
    return (cell or "").strip().lstrip("\ufeff").strip()


def names_every_required_column(raw: list, contract: Contract) -> bool:
    names = {column_name(h) for h in raw if isinstance(h, str)}
    return all(f.path in names or f.name in names for f in contract.fields
               if f.required and not f.required_when)


def header_index(raw: list, info: FileInfo, contract: Contract) -> tuple[int, dict[str, int]]:
    """Width of the table and the column index of each contract field present."""
    names = [column_name(h) for h in raw]
    while names and not names[-1]:
        names.pop()  # Excel writes trailing empty columns; they hold no field
    index: dict[str, int] = {}
    for f in contract.fields:
        for name in (f.path, f.name):
            if name in names:
                index[f.name] = names.index(name)
                break
    used = set(index.values())
    info.extra_columns.update(n for i, n in enumerate(names) if i not in used and n)
    info.missing_columns = tuple(
        f.path for f in contract.fields if f.required and not f.required_when and f.name not in index
    )
    return len(names), index


def _table_batches(blocks: Iterator[list], info: FileInfo, contract: Contract, batch_rows: int):
    header, width, index, row_no, buf, size = None, 0, {}, 0, [], 0
    for block, chars in blocks:
        if header is None:
            above = next((k for k, r in enumerate(block[:HEADER_SEARCH_ROWS]) if isinstance(r, list)
                          and names_every_required_column(r, contract)), 0)
            del block[:above]  # a title and notes above the header
            header = block.pop(0)
            width, index = header_index(header if isinstance(header, list) else [], info, contract)
        buf += block
        size += chars
        while buf and (len(buf) >= batch_rows or size >= MAX_BATCH_BYTES):
            take = min(batch_rows, len(buf))
            yield table_batch(buf[:take], range(row_no + 1, row_no + take + 1), width, index, contract, True)
            size = size * (len(buf) - take) // len(buf)  # what is left, in proportion
            row_no, buf = row_no + take, buf[take:]
    if buf:
        yield table_batch(buf, range(row_no + 1, row_no + len(buf) + 1), width, index, contract, True)


def table_batch(
    rows: list, numbers, width: int, index: dict[str, int], contract: Contract, spreadsheet: bool
) -> RawBatch:
    """A batch from rows of cells; a (reason, detail) tuple stands for an unreadable record."""
    batch = RawBatch(list(numbers), [], {})
    if set(map(len, rows)) != {width} or any(type(r) is tuple for r in rows):
        empty = [None] * width
        for k, r in enumerate(rows):
            if spreadsheet and isinstance(r, list) and len(r) != width and not any(r[width:]):
                rows[k] = r = (r + empty)[:width]  # a sheet's rows are as wide as its widest row
            if type(r) is tuple or len(r) != width:
                batch.errors[k] = (
                    r
                    if type(r) is tuple
                    else ("unparseable_record", f"expected {width} fields, got {len(r)}")
                )
                rows[k] = empty
    cols = [pa.array(c, pa.string()) for c in zip(*rows, strict=True)] if width else []
    nulls = pa.nulls(len(rows), pa.string())
    batch.records = pc.binary_join_element_wise(*cols, "\x1f", null_handling="replace") if cols else nulls
    if batch.errors:  # an unreadable row has no record to hash
        bad = np.zeros(len(rows), bool)
        bad[list(batch.errors)] = True
        batch.records = pc.if_else(pa.array(bad), nulls, batch.records)
    for f in contract.fields:
        i = index.get(f.name)
        col = cols[i] if i is not None else nulls
        batch.columns[f.name] = col.to_pylist() if f.type in PYTHON_TYPES else col
    return batch
