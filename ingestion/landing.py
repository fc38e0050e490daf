"""The landing folder: `<source>/<entity>/<YYYY-MM-DD>/<file>`, and what does not fit that layout.

Names starting with `.` or `_` are not landing data and are skipped at every level: `.DS_Store`,
editors' swap files, `_truth/` (the simulator's answer key), and `~$…` lock files Excel leaves
next to an open workbook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingestion.contracts import CONTRACTS

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class StrayFile:
    """A file outside any loadable partition."""

    rel: str  # path relative to the landing root
    reason: str  # unknown_folder | bad_folder_date
    source: str | None = None
    entity: str | None = None


@dataclass
class Landing:
    root: Path
    partitions: dict[tuple[str, str], list[date]] = field(default_factory=dict)  # sorted days with files
    unknown_folders: list[str] = field(default_factory=list)  # <source>/<entity> no contract declares
    bad_date_folders: list[str] = field(default_factory=list)  # day folders that are not YYYY-MM-DD
    stray_files: list[StrayFile] = field(default_factory=list)


def skipped(name: str) -> bool:
    return name.startswith((".", "_", "~$"))


def _files(folder: Path) -> list[Path]:
    """Files under `folder`, at any depth, skipping hidden and bookkeeping names."""
    out = []
    for p in sorted(folder.iterdir()):
        if skipped(p.name):
            continue
        if p.is_dir():
            out += _files(p)
        elif p.is_file():
            out.append(p)
    return out


def parse_day(name: str) -> date | None:
    if not _DAY.match(name):
        return None
    try:
        return date.fromisoformat(name)
    except ValueError:
        return None


def partition_files(landing_dir: Path, source: str, entity: str, day: date) -> list[Path]:
    """The files of one day, in name order (the order duplicates are resolved in)."""
    folder = Path(landing_dir) / source / entity / day.isoformat()
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.iterdir()) if p.is_file() and not skipped(p.name)]


def discover(landing_dir: Path) -> Landing:
    root = Path(landing_dir)
    landing = Landing(root)
    if not root.is_dir():
        return landing

    def stray(paths: list[Path], reason: str, source=None, entity=None) -> None:
        landing.stray_files.extend(
            StrayFile(p.relative_to(root).as_posix(), reason, source, entity) for p in paths
        )

    for src in sorted(root.iterdir()):
        if skipped(src.name):
            continue
        if not src.is_dir():
            stray([src], "unknown_folder")
            continue
        for ent in sorted(src.iterdir()):
            if skipped(ent.name):
                continue
            if not ent.is_dir():
                stray([ent], "unknown_folder", src.name)
            elif (src.name, ent.name) not in CONTRACTS:
                landing.unknown_folders.append(f"{src.name}/{ent.name}")
                stray(_files(ent), "unknown_folder", src.name, ent.name)
            else:
                _entity(landing, ent, src.name, ent.name, stray)
    return landing


def _entity(landing: Landing, folder: Path, source: str, entity: str, stray) -> None:
    days = []
    for child in sorted(folder.iterdir()):
        if skipped(child.name):
            continue
        if not child.is_dir():
            stray([child], "bad_folder_date", source, entity)  # a file not inside any day folder
            continue
        day = parse_day(child.name)
        if day is None:
            landing.bad_date_folders.append(f"{source}/{entity}/{child.name}")
            stray(_files(child), "bad_folder_date", source, entity)
            continue
        files = [p for p in sorted(child.iterdir()) if not skipped(p.name)]
        for sub in (p for p in files if p.is_dir()):
            stray(_files(sub), "unknown_folder", source, entity)  # folders inside a day are not read
        if any(p.is_file() for p in files):
            days.append(day)
    if days:
        landing.partitions[(source, entity)] = days


def entity_days(landing_dir: Path, source: str, entity: str) -> list[date]:
    """The days with files of one entity, as discover() finds them, without walking the other
    entities' folders (a 60-day landing has ~1,000 day folders; an asset loads one entity)."""
    folder = Path(landing_dir) / source / entity
    if not folder.is_dir() or skipped(source) or skipped(entity):
        return []
    landing = Landing(Path(landing_dir))
    _entity(landing, folder, source, entity, lambda *args, **kw: None)
    return landing.partitions.get((source, entity), [])
