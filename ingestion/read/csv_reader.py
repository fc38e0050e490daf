"""CSV landing files, parsed by pyarrow's streaming CSV reader (C++, RFC 4180 quoting like the csv
module: `"买家已付款,等待卖家发货"` is one field, quoted fields may span lines).

The file is decoded to UTF-8 block by block first (encoding.Utf8Blocks), so an undecodable line is
one quarantined record. Single-threaded parsing lets pyarrow number the rows it rejects (wrong
field count), which places every good row at its record number too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ingestion.contracts import Contract
from ingestion.read.encoding import UNDECODABLE, BlockStream, Utf8Blocks
from ingestion.read.readers import (
    HEADER_SEARCH_ROWS,
    PYTHON_TYPES,
    FileInfo,
    RawBatch,
    header_index,
    names_every_required_column,
    table_batch,
)

# pyarrow parses 16 MiB of text per record batch (~160,000 POS rows); a record must fit in one
# block, so a file with a longer record is read on with the csv module (see _rest_by_csv_module).
BLOCK_SIZE = 16 << 20
DELIMITERS = (",", "\t")
TRIMMED = " \t\r\n\ufeff"  # around a cell compared with the header: blanks, and the BOM of a joined file


@dataclass(frozen=True)
class _Layout:
    """Where a CSV's records begin and how they are cut."""

    header: list[str]
    above: int = 0  # lines above the header: a title, notes
    sep: str = ","
    # rows equal to the header are not records (files joined into one, each with its header); only
    # when it is the file's header: a wrong first line is a row like any other
    repeats: bool = False

    def repeated(self, row: list) -> bool:
        return self.repeats and _cells(row) == _cells(self.header)


def csv_batches(f: BinaryIO, info: FileInfo, contract: Contract, batch_rows: int) -> Iterator[RawBatch]:
    blocks = Utf8Blocks(f, info.encoding)
    stream, layout = _header_line(io.BufferedReader(BlockStream(blocks), buffer_size=1 << 20), contract)
    if layout is None:
        return
    header = layout.header
    width, index = header_index(header, info, contract)
    names = [f"c{i}" for i in range(max(len(header), 1))]
    rejected: list[tuple[int, str, int]] = []

    def on_invalid(row) -> str:
        rejected.append((row.number, row.text, row.actual_columns))
        return "skip"

    try:
        reader = pcsv.open_csv(
            stream,
            read_options=pcsv.ReadOptions(column_names=names, use_threads=False, block_size=BLOCK_SIZE),
            parse_options=pcsv.ParseOptions(
                delimiter=layout.sep, newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, check_utf8=False
            ),
        )
    except pa.ArrowInvalid as e:
        if "Empty CSV" in str(e):
            return
        raise
    numbering, emitted = _Numbering(), []
    pending: list[pa.RecordBatch] = []
    pending_numbers: list[np.ndarray] = []
    try:
        for rb in reader:
            pending.append(rb)
            pending_numbers.append(numbering.assign(rb.num_rows, rejected))
            for batch in _rejected(numbering.placed(rejected), len(names), index, contract, layout.sep):
                emitted.append(batch.row_numbers)
                yield batch
            while sum(b.num_rows for b in pending) >= batch_rows:
                table, numbers = pa.Table.from_batches(pending), np.concatenate(pending_numbers)
                emitted.append(numbers[:batch_rows])
                yield _batch(
                    table.slice(0, batch_rows), numbers[:batch_rows], index, contract, blocks.bad > 0, layout
                )
                pending, pending_numbers = table.slice(batch_rows).to_batches(), [numbers[batch_rows:]]
    except pa.ArrowInvalid as e:
        if "straddl" not in str(e):
            raise
        done = set(np.concatenate(emitted).tolist()) if emitted else set()
        yield from _rest_by_csv_module(f, info, contract, batch_rows, layout, index, done)
        return
    if any(b.num_rows for b in pending):
        table = pa.Table.from_batches(pending)
        yield _batch(table, np.concatenate(pending_numbers), index, contract, blocks.bad > 0, layout)
    yield from _rejected(numbering.placed(rejected, final=True), len(names), index, contract, layout.sep)


def _header_line(stream: io.BufferedReader, contract: Contract) -> tuple[io.BufferedReader, _Layout | None]:
    """The stream from the line after the header, and the layout (None: no line at all). The header
    is the first of the first lines naming every required column (readers.HEADER_SEARCH_ROWS), split
    by commas or, where that names them, tabs (a back office's "CSV" that is tab-separated); else the
    first line, split by commas."""
    lines: list[bytes] = []
    while len(lines) < HEADER_SEARCH_ROWS and (line := stream.readline()):
        if not line.strip():
            continue
        lines.append(line)
        text = line.decode("utf-8")
        for sep in DELIMITERS if UNDECODABLE not in text else ():
            cells = next(csv.reader([text], delimiter=sep), [])
            if names_every_required_column(cells, contract):
                return stream, _Layout(cells, len(lines) - 1, sep, repeats=True)
    if not lines:
        return stream, None
    first = lines[0].decode("utf-8")
    layout = _Layout(next(csv.reader([first]), []) if UNDECODABLE not in first else [])
    if len(lines) == 1:
        return stream, layout
    return io.BufferedReader(_Prefixed(b"".join(lines[1:]), stream), buffer_size=1 << 20), layout


class _Prefixed(io.RawIOBase):
    """`prefix`, then the rest of `stream`: lines read ahead while looking for the header."""

    def __init__(self, prefix: bytes, stream: io.BufferedReader):
        self._prefix, self._stream = memoryview(prefix), stream

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self._prefix:
            n = min(len(b), len(self._prefix))
            b[:n], self._prefix = self._prefix[:n], self._prefix[n:]
            return n
        return self._stream.readinto(b)


def _rest_by_csv_module(
    f, info: FileInfo, contract: Contract, batch_rows: int, layout: _Layout, index: dict[str, int], done: set
) -> Iterator[RawBatch]:
    """A record longer than a pyarrow block: read the file again with the csv module (no limit but
    memory, ~5x slower) and give the records not yet given, under the same record numbers."""
    width = max(len(layout.header), 1)
    text = io.TextIOWrapper(io.BufferedReader(BlockStream(Utf8Blocks(f, info.encoding))), "utf-8", newline="")
    records = (r for r in csv.reader(text, delimiter=layout.sep) if r)
    for _ in range(layout.above + 1):  # the title lines above the header, and the header
        next(records, None)
    rows, numbers = [], []
    for number, row in enumerate(records, start=1):
        if number in done or not any(c.strip() for c in row) or layout.repeated(row):
            continue
        if len(row) > width:
            row = _within_width(row, width) or row
        if any(UNDECODABLE in c for c in row):
            row = ("undecodable_bytes", "bytes not valid in the file's encoding")
        rows.append(row)
        numbers.append(number)
        if len(rows) >= batch_rows:
            yield table_batch(rows, numbers, width, index, contract, False)
            rows, numbers = [], []
    if rows:
        yield table_batch(rows, numbers, width, index, contract, False)


class _Numbering:
    """Record numbers of the rows pyarrow kept: consecutive, skipping the numbers it rejected."""

    def __init__(self):
        self.next, self.done = 1, 0

    def assign(self, n: int, rejected: list) -> np.ndarray:
        skip = np.array([r[0] for r in rejected if r[0] is not None and r[0] >= self.next], np.int64)
        candidates = np.arange(self.next, self.next + n + len(skip), dtype=np.int64)
        numbers = candidates[~np.isin(candidates, skip)][:n]
        if n:
            self.next = int(numbers[-1]) + 1
        return numbers

    def placed(self, rejected: list, final: bool = False) -> list:
        """Rejected rows now behind the numbering (all of them at the end), each returned once."""
        ready = [r for r in rejected[self.done :] if final or r[0] is None or r[0] < self.next]
        self.done += len(ready)
        return ready


def _cells(row: list) -> list[str]:
    return [(c or "").strip(TRIMMED) for c in row]


def _without_non_records(
    table: pa.Table, numbers: np.ndarray, layout: _Layout
) -> tuple[pa.Table, np.ndarray]:
    """The rows that are records. Not: a row whose every cell is empty (Excel saves the empty rows
    of a formatted range as `,,,,`, and an empty sheet row is no record either, readers.py), nor one
    that repeats the header (files joined into one, `copy a.csv+b.csv`, each header with its BOM).
    Only rows whose first cell is empty or the header's are looked at further."""
    if not table.num_rows:
        return table, numbers
    first, rest = pc.utf8_trim(table.column(0), TRIMMED), table.columns[1:]
    names = _cells(layout.header)
    repeats = pc.equal(first, names[0]) if layout.repeats and len(names) == table.num_columns else None
    blank = pc.equal(first, "")
    if not pc.any(blank if repeats is None else pc.or_(blank, repeats)).as_py():
        return table, numbers
    for k, column in enumerate(rest, start=1):
        cells = pc.utf8_trim(column, TRIMMED)
        blank = pc.and_(blank, pc.equal(cells, ""))
        repeats = None if repeats is None else pc.and_(repeats, pc.equal(cells, names[k]))
    keep = pc.invert(blank if repeats is None else pc.or_(blank, repeats))
    return table.filter(keep), numbers[np.asarray(keep.to_numpy(zero_copy_only=False), bool)]


def _is_blank(text: str) -> bool:
    """A line of separators and blanks only (`,,,` of another width than the header's)."""
    return not text.replace(",", "").replace('"', "").strip()


def _within_width(cells: list, width: int) -> list | None:
    """A row's cells cut to the header's width when only empty fields lie beyond it (an exporter
    ending each data line with a separator the header lacks): extra trailing columns, ignored as
    named ones are; None when a field beyond holds a value."""
    return cells[:width] if not any(c.strip() for c in cells[width:]) else None


def _rejected(
    rows: list, width: int, index: dict[str, int], contract: Contract, sep: str
) -> Iterator[RawBatch]:
    """The rows pyarrow rejected for their number of fields: records when the fields beyond the
    header's are empty, else unparseable (a cut line, a stray separator)."""
    rows = [r for r in rows if not _is_blank(r[1])]
    cut = [
        _within_width(next(csv.reader([text], delimiter=sep), []), width)
        if actual > width and UNDECODABLE not in text else None
        for _, text, actual in rows
    ]
    wide = [(r[0], cells) for r, cells in zip(rows, cut, strict=True) if cells is not None]
    if wide:
        yield table_batch([cells for _, cells in wide], [n for n, _ in wide], width, index, contract, False)
    rows = [r for r, cells in zip(rows, cut, strict=True) if cells is None]
    if not rows:
        return
    nulls = pa.nulls(len(rows), pa.string())
    batch = RawBatch(
        [r[0] for r in rows],
        nulls,
        {f.name: [None] * len(rows) if f.type in PYTHON_TYPES else nulls for f in contract.fields},
    )
    for k, (_, text, actual) in enumerate(rows):
        batch.errors[k] = (
            ("undecodable_bytes", "bytes not valid in the file's encoding")
            if UNDECODABLE in text
            else ("unparseable_record", f"expected {width} fields, got {actual}")
        )
    yield batch


def _batch(
    table: pa.Table, numbers: np.ndarray, index: dict[str, int], contract: Contract, maybe_undecodable: bool,
    layout: _Layout,
) -> RawBatch:
    table, numbers = _without_non_records(table, numbers, layout)
    cols = [c.combine_chunks() for c in table.columns]
    nulls = pa.nulls(table.num_rows, pa.string())
    records = pc.binary_join_element_wise(*cols, "\x1f") if cols else nulls
    batch = RawBatch(numbers.tolist(), records, {})
    if maybe_undecodable:  # an undecodable line inside a quoted field, or a one-column file
        hit = np.zeros(table.num_rows, bool)
        for c in cols:
            hit |= np.asarray(pc.match_substring(c, UNDECODABLE).to_numpy(zero_copy_only=False), bool)
        for k in np.flatnonzero(hit).tolist():
            batch.errors[k] = ("undecodable_bytes", "bytes not valid in the file's encoding")
        if hit.any():
            batch.records = pc.if_else(pa.array(hit), nulls, records)
    for f in contract.fields:
        i = index.get(f.name)
        col = cols[i] if i is not None else nulls
        batch.columns[f.name] = col.to_pylist() if f.type in PYTHON_TYPES else col
    return batch
