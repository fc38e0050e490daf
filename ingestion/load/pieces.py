"""The reading side of a load: each landing file of some days read in batches, normalised and
sorted into rows to load and rows to quarantine, as pieces the writer consumes in file order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa

from ingestion.landing.layout import partition_files
from ingestion.load.background import ordered_map
from ingestion.normalise.batch import Context, normalise_batch
from ingestion.normalise.convert import REASONS
from ingestion.normalise.phone_columns import PhoneHasher
from ingestion.normalise.quarantine import quarantine_rows
from ingestion.read.readers import FileInfo, read_file
from ingestion.write.rawwriter import with_lineage

# A file this large (a few 50,000-row batches) is normalised NORMALISERS batches at a time while
# its reader thread parses the next: a 1M-row JSONL file alone loaded at 260k rows/s with one
# thread doing both, 309k with this (bench/load_throughput.py, quiet machine).
MAPPED_FILE_BYTES = 16 << 20
NORMALISERS = 2


@dataclass
class Piece:
    """What a reader hands the writer: one batch of one file (or a file's end)."""

    day: date
    rel: str
    info: FileInfo
    offered: int = 0
    good: pa.Table | None = None
    loaded: int = 0
    reasons: dict | None = None
    quarantine: list | None = None
    last: bool = False


def file_readers(landing_dir: Path, contract, days: list[date], hasher: PhoneHasher, batch_rows: int):
    """One producer of pieces per file, in day order, then name order within a day."""
    for day in days:
        ctx = Context(day, hasher)
        for path in partition_files(landing_dir, contract.source, contract.entity, day):
            yield partial(_day_file, landing_dir, path, contract, ctx, batch_rows)


def _day_file(landing_dir: Path, path: Path, contract, ctx: Context, batch_rows: int) -> Iterator[Piece]:
    try:
        yield from _file_pieces(landing_dir, path, contract, ctx, batch_rows)
    except Exception as e:
        e.business_date = ctx.business_date  # the day that failed: load_days keeps the days before it
        raise


def _file_pieces(landing_dir: Path, path: Path, contract, ctx: Context, batch_rows: int) -> Iterator[Piece]:
    rel = path.relative_to(landing_dir).as_posix()
    fmt = path.suffix.lower().lstrip(".")
    day = ctx.business_date
    info = FileInfo(rel, fmt)
    if fmt not in contract.formats:
        detail = (
            f"{contract.source}/{contract.entity} accepts {', '.join(contract.formats)}, not '{path.suffix}'"
        )
        # the file counts as one unit: its rows cannot be counted
        yield Piece(
            day,
            rel,
            info,
            1,
            reasons={"unsupported_format": 1},
            quarantine=[(None, "unsupported_format", detail, None)],
            last=True,
        )
        return

    def piece(batch) -> Piece:
        norm = normalise_batch(batch, info, contract, ctx)
        counts = np.bincount(norm.codes, minlength=len(REASONS))
        n_ok = int(counts[0])
        return Piece(
            day,
            rel,
            info,
            len(batch),
            with_lineage(norm.good, day, rel, info.encoding) if n_ok else None,
            n_ok,
            {REASONS[i]: int(c) for i, c in enumerate(counts) if i and c},
            quarantine_rows(contract, batch, info, norm, salt=ctx.hasher.salt),
        )

    batches = read_file(path, info, contract, batch_rows)
    if path.stat().st_size >= MAPPED_FILE_BYTES:
        yield from ordered_map(piece, batches, NORMALISERS)
    else:
        yield from map(piece, batches)
    yield Piece(day, rel, info, last=True)
