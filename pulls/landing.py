"""Writing a pulled day into the landing folder as an export would be: `<landing>/<source>/<entity>/
<YYYY-MM-DD>/<name>.jsonl`, one JSON object a line (UTF-8, key order as the platform sent it).

The day is written into a hidden temporary folder beside it (`.<date>.pull-…`: the loader skips names
starting with `.`) and renamed into place only when every page has been written, so a pull that dies
mid-paging leaves the previous delivery of that day as it was. A re-pull replaces the day as a whole
(the loader's re-delivery rule); when it is byte-identical to the delivery in place, the folder is
left untouched, so its fingerprint (names, sizes, mtimes) does not change and no night reloads it.

A day folder cannot be swapped for another in one rename when it exists, so the old one is renamed
aside first (`.<date>.old-…`) and deleted after; a run killed between the two renames leaves the
old one aside, and the next write of that day puts it back before anything else."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import orjson


@dataclass(frozen=True)
class Written:
    folder: Path
    rows: int
    changed: bool  # False: nothing written (no rows) or the same bytes as the delivery in place


def encode(record: dict) -> bytes:
    return orjson.dumps(record) + b"\n"


def write_day(landing: Path, source: str, entity: str, day: date, name: str,
              records: Iterable[dict]) -> Written:
    """Write `records` as the day's delivery of source/entity; an empty day writes nothing and
    keeps whatever is there (no platform answer is taken for "everyone left")."""
    parent = Path(landing) / source / entity
    folder = parent / day.isoformat()
    parent.mkdir(parents=True, exist_ok=True)
    recover(parent, day)
    tmp = Path(tempfile.mkdtemp(prefix=f".{day.isoformat()}.pull-", dir=parent))
    try:
        rows = 0
        with open(tmp / name, "wb") as out:
            for record in records:
                out.write(encode(record))
                rows += 1
            out.flush()
            os.fsync(out.fileno())
        if rows == 0 or same_files(tmp, folder):
            shutil.rmtree(tmp)
            return Written(folder, rows, changed=False)
        _swap(tmp, folder)
        return Written(folder, rows, changed=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def recover(parent: Path, day: date) -> None:
    """Undo what a killed pull of `day` left: an old delivery set aside goes back (when no new one
    took its place), unfinished temporary folders go."""
    stem = f".{day.isoformat()}."
    folder = parent / day.isoformat()
    for leftover in sorted(parent.glob(f"{stem}old-*")):
        if not folder.exists():
            os.rename(leftover, folder)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in parent.glob(f"{stem}pull-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def same_files(a: Path, b: Path) -> bool:
    if not b.is_dir():
        return False
    names = sorted(p.name for p in a.iterdir())
    if names != sorted(p.name for p in b.iterdir()):
        return False
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in names)


def _swap(tmp: Path, folder: Path) -> None:
    if not folder.exists():
        os.rename(tmp, folder)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=folder.parent))
    os.rmdir(aside)  # a unique name to rename onto
    os.rename(folder, aside)
    os.rename(tmp, folder)
    shutil.rmtree(aside)
