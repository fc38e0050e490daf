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


def csv_batches(f: BinaryIO, info: FileInfo, contract: Contract, batch_rows: int) -> Iterator[RawBatch]:
    blocks = Utf8Blocks(f, info.encoding)
    lines = io.BufferedReader(BlockStream(blocks), buffer_size=1 << 20)
    stream, first, above, sep = _header_line(lines, contract)
    if not first:
        return
    header = next(csv.reader([first], delimiter=sep), []) if UNDECODABLE not in first else []
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
                delimiter=sep, newlines_in_values=True, invalid_row_handler=on_invalid
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
            for batch in _rejected(numbering.placed(rejected), len(names), contract):
                emitted.append(batch.row_numbers)
                yield batch
            while sum(b.num_rows for b in pending) >= batch_rows:
                table, numbers = pa.Table.from_batches(pending), np.concatenate(pending_numbers)
                emitted.append(numbers[:batch_rows])
                yield _batch(
                    table.slice(0, batch_rows), numbers[:batch_rows], index, contract, blocks.bad > 0
                )
                pending, pending_numbers = table.slice(batch_rows).to_batches(), [numbers[batch_rows:]]
    except pa.ArrowInvalid as e:
        if "straddl" not in str(e):
            raise
        done = set(np.concatenate(emitted).tolist()) if emitted else set()
        yield from _rest_by_csv_module(f, info, contract, batch_rows, len(names), index, done, above, sep)
        return
    if any(b.num_rows for b in pending):
        table = pa.Table.from_batches(pending)
        yield _batch(table, np.concatenate(pending_numbers), index, contract, blocks.bad > 0)
    yield from _rejected(numbering.placed(rejected, final=True), len(names), contract)


def _header_line(stream: io.BufferedReader, contract: Contract) -> tuple[io.BufferedReader, str, int, str]:
    """The header line (readers.HEADER_SEARCH_ROWS: the first of the first lines naming every
    required column, else the first line), the stream from the line after it, the lines above it, and
    the delimiter (a tab where the header is split by tabs: a back office's "CSV" that is tab-separated)."""
    lines: list[bytes] = []
    while len(lines) < HEADER_SEARCH_ROWS and (line := stream.readline()):
        if not line.strip():
            continue
        lines.append(line)
        text = line.decode("utf-8")
        for sep in DELIMITERS if UNDECODABLE not in text else ():
            if names_every_required_column(next(csv.reader([text], delimiter=sep), []), contract):
                return stream, text, len(lines) - 1, sep
    if not lines:
        return stream, "", 0, ","
    if len(lines) == 1:
        return stream, lines[0].decode("utf-8"), 0, ","
    rest = io.BufferedReader(_Prefixed(b"".join(lines[1:]), stream), buffer_size=1 << 20)
    return rest, lines[0].decode("utf-8"), 0, ","


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
    f, info: FileInfo, contract: Contract, batch_rows: int, width: int, index: dict[str, int], done: set,
    above: int, sep: str,
) -> Iterator[RawBatch]:
    """A record longer than a pyarrow block: read the file again with the csv module (no limit but
    memory, ~5x slower) and give the records not yet given, under the same record numbers."""
    text = io.TextIOWrapper(io.BufferedReader(BlockStream(Utf8Blocks(f, info.encoding))), "utf-8", newline="")
    records = (r for r in csv.reader(text, delimiter=sep) if r)
    for _ in range(above + 1):  # the title lines above the header, and the header
        next(records, None)
    rows, numbers = [], []
    for number, row in enumerate(records, start=1):
        if number in done or not any(c.strip() for c in row):
            continue
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


def _without_blank_rows(table: pa.Table, numbers: np.ndarray) -> tuple[pa.Table, np.ndarray]:
    """The rows holding a value in some cell. Excel saves the empty rows of a formatted range as
    `,,,,`: they are not records, as an empty sheet row is not (readers.py), and are not offered."""
    if not table.num_rows:
        return table, numbers
    text = pc.binary_join_element_wise(*table.columns, "") if table.num_columns > 1 else table.column(0)
    blank = pc.equal(pc.utf8_trim_whitespace(text), "")
    if not pc.any(blank).as_py():
        return table, numbers
    keep = pc.invert(blank)
    return table.filter(keep), numbers[np.asarray(keep.to_numpy(zero_copy_only=False), bool)]


def _is_blank(text: str) -> bool:
    """A line of separators and blanks only (`,,,` of another width than the header's)."""
    return not text.replace(",", "").replace('"', "").strip()


def _rejected(rows: list, width: int, contract: Contract) -> Iterator[RawBatch]:
    rows = [r for r in rows if not _is_blank(r[1])]
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
    table: pa.Table, numbers: np.ndarray, index: dict[str, int], contract: Contract, maybe_undecodable: bool
) -> RawBatch:
    table, numbers = _without_blank_rows(table, numbers)
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
