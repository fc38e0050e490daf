"""The landing folder: `<source>/<entity>/<YYYY-MM-DD>/<file>`, and what does not fit that layout.

Names starting with `.` or `_` are not landing data and are skipped at every level: `.DS_Store`,
editors' swap files, `_truth/` (the simulator's answer key), and `~$…` lock files Excel leaves
next to an open workbook; so are the files Windows' Explorer writes into folders it shows
(`Thumbs.db`, `ehthumbs.db`, `desktop.ini`, in any case).

Symbolic links below the landing folder are never followed, whatever they point at, and are
reported (reason `symlink`): a link can load a file from outside the landing folder that nobody
delivered, and two links `a -> .` and `b -> .` turned the walk of a folder into 2^40 paths before
the OS refused one (discovery runs at every `siyu run` and in the sensor). The landing folder
itself may be a link: it is what SIYU_LANDING_DIR names.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingestion.contracts import CONTRACTS

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LAYOUT = "<source>/<entity>/<YYYY-MM-DD>/<file>"
LINK = "symlink"  # the stray reason of a symbolic link


@dataclass(frozen=True)
class StrayFile:
    """A file outside any loadable partition."""

    rel: str  # path relative to the landing root
    reason: str  # unknown_folder | bad_folder_date | symlink
    source: str | None = None
    entity: str | None = None


@dataclass
class Landing:
    root: Path
    partitions: dict[tuple[str, str], list[date]] = field(default_factory=dict)  # sorted days with files
    unknown_folders: list[str] = field(default_factory=list)  # <source>/<entity> no contract declares
    bad_date_folders: list[str] = field(default_factory=list)  # day folders that are not YYYY-MM-DD
    stray_files: list[StrayFile] = field(default_factory=list)


SYSTEM_FILES = {"thumbs.db", "ehthumbs.db", "desktop.ini"}


def skipped(name: str) -> bool:
    return name.startswith((".", "_", "~$")) or name.lower() in SYSTEM_FILES


def _listing(folder: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """(folders, files, links) directly in `folder`, by name, skipping hidden and bookkeeping names.
    A link is only ever listed, never followed."""
    folders, files, links = [], [], []
    for p in sorted(folder.iterdir()):
        if skipped(p.name):
            continue
        if p.is_symlink():
            links.append(p)
        elif p.is_dir():
            folders.append(p)
        elif p.is_file():
            files.append(p)
    return folders, files, links


def _walk(folder: Path, seen: set | None = None) -> tuple[list[Path], list[Path]]:
    """(files, links) under `folder` at any depth. A folder met twice (a bind mount of its own
    parent, the one loop links aside) is walked once."""
    seen = set() if seen is None else seen
    st = folder.stat()
    if (st.st_dev, st.st_ino) in seen:
        return [], []
    seen.add((st.st_dev, st.st_ino))
    folders, files, links = _listing(folder)
    for sub in folders:
        more_files, more_links = _walk(sub, seen)
        files, links = files + more_files, links + more_links
    return files, links


def _through_link(root: Path, *parts: str) -> bool:
    """Whether root/part1/part2/… passes through a symbolic link below `root`."""
    path = root
    for part in parts:
        path = path / part
        if os.path.islink(path):
            return True
    return False


def parse_day(name: str) -> date | None:
    if not _DAY.match(name):
        return None
    try:
        return date.fromisoformat(name)
    except ValueError:
        return None


def partition_files(landing_dir: Path, source: str, entity: str, day: date) -> list[Path]:
    """The files of one day, in name order (the order duplicates are resolved in)."""
    root = Path(landing_dir)
    folder = root / source / entity / day.isoformat()
    if _through_link(root, source, entity, day.isoformat()) or not folder.is_dir():
        return []
    return _listing(folder)[1]


def discover(landing_dir: Path) -> Landing:
    root = Path(landing_dir)
    landing = Landing(root)
    if not root.is_dir():
        return landing

    def stray(paths: list[Path], reason: str, source=None, entity=None) -> None:
        landing.stray_files.extend(
            StrayFile(p.relative_to(root).as_posix(), reason, source, entity) for p in paths
        )

    sources, files, links = _listing(root)
    stray(files, "unknown_folder")
    stray(links, LINK)
    for src in sources:
        entities, files, links = _listing(src)
        stray(files, "unknown_folder", src.name)
        stray(links, LINK, src.name)
        for ent in entities:
            if (src.name, ent.name) in CONTRACTS:
                _entity(landing, ent, src.name, ent.name, stray)
                continue
            landing.unknown_folders.append(f"{src.name}/{ent.name}")
            files, links = _walk(ent)
            stray(files, "unknown_folder", src.name, ent.name)
            stray(links, LINK, src.name, ent.name)
    return landing


def _entity(landing: Landing, folder: Path, source: str, entity: str, stray) -> None:
    days = []
    children, files, links = _listing(folder)
    stray(files, "bad_folder_date", source, entity)  # files not inside any day folder
    stray(links, LINK, source, entity)
    for child in children:
        day = parse_day(child.name)
        if day is None:
            landing.bad_date_folders.append(f"{source}/{entity}/{child.name}")
            files, links = _walk(child)
            stray(files, "bad_folder_date", source, entity)
            stray(links, LINK, source, entity)
            continue
        subs, files, links = _listing(child)
        stray(links, LINK, source, entity)
        for sub in subs:  # folders inside a day are not read
            sub_files, sub_links = _walk(sub)
            stray(sub_files, "unknown_folder", source, entity)
            stray(sub_links, LINK, source, entity)
        if files:
            days.append(day)
    if days:
        landing.partitions[(source, entity)] = days


def entity_days(landing_dir: Path, source: str, entity: str) -> list[date]:
    """The days with files of one entity, as discover() finds them, without walking the other
    entities' folders (a 60-day landing has ~1,000 day folders; an asset loads one entity)."""
    folder = Path(landing_dir) / source / entity
    if skipped(source) or skipped(entity) or _through_link(Path(landing_dir), source, entity):
        return []
    if not folder.is_dir():
        return []
    landing = Landing(Path(landing_dir))
    _entity(landing, folder, source, entity, lambda *args, **kw: None)
    return landing.partitions.get((source, entity), [])


def why_unloadable(landing_dir: Path, shown: int = 8) -> str | None:
    """Why no day under `landing_dir` can be loaded, as one message (a line per problem, the first
    `shown` of them); None when at least one day loads."""
    root = Path(landing_dir)
    if not root.exists():
        return f"landing folder {root} does not exist (SIYU_LANDING_DIR)"
    if not root.is_dir():
        return f"landing folder {root} is a file, not a folder (SIYU_LANDING_DIR)"
    try:
        if discover(root).partitions:
            return None
        problems = _problems(root)
    except OSError as exc:  # a folder this user may not list
        return f"cannot read the landing folder: {exc.strerror} ({exc.filename}); fix its permissions"
    head = f"nothing to load under {root}: expected {LAYOUT}"
    if len(problems) > shown:
        problems = problems[:shown] + [f"… and {len(problems) - shown} more"]
    return "\n".join([head, *(f"  - {p}" for p in problems or ["the folder is empty"])])


def _linked(links: list[Path], root: Path) -> list[str]:
    return [f"`{p.relative_to(root).as_posix()}` is a symbolic link, and links are not followed (nothing "
            "outside the landing folder is read): copy its files in, or point SIYU_LANDING_DIR at them"
            for p in links]


def _problems(root: Path) -> list[str]:
    entities: dict[str, list[str]] = {}
    for source, entity in CONTRACTS:
        entities.setdefault(source, []).append(entity)
    folders, files, links = _listing(root)
    names = {p.name for p in folders}
    if root.name in entities and names & set(entities[root.name]):
        return [f"{root} is the `{root.name}` source folder: set SIYU_LANDING_DIR to {root.parent}"]
    if folders and all(parse_day(n) for n in names):
        return [f"{root} holds day folders, so it is an entity folder: set SIYU_LANDING_DIR to the "
                f"folder holding <source>/, probably {root.parent.parent}"]
    out = [f"`{f.name}` lies directly in the landing folder: put it in {LAYOUT}" for f in files]
    out += _linked(links, root)
    for src in folders:
        sub, sub_files, sub_links = _listing(src)
        if src.name not in entities:
            if {p.name for p in sub} & set(entities):
                out.append(f"`{src.name}/` holds source folders: set SIYU_LANDING_DIR to {src}")
            else:
                out.append(f"unknown source `{src.name}`{_nearest(src.name, entities)}")
            continue
        out += [f"`{src.name}/{f.name}` is not inside an entity folder: put it in "
                f"{src.name}/<entity>/<YYYY-MM-DD>/" for f in sub_files]
        out += _linked(sub_links, root)
        if not sub and not sub_links:
            out.append(f"`{src.name}/` has no entity folders ({', '.join(sorted(entities[src.name]))})")
        for ent in sub:
            rel = f"{src.name}/{ent.name}"
            if ent.name in entities[src.name]:
                out += _entity_problems(ent, rel, root)
            else:
                known = [f"{src.name}/{e}" for e in entities[src.name]]
                out.append(f"unknown entity `{rel}`{_nearest(rel, known)}")
    return out


def _entity_problems(folder: Path, rel: str, root: Path) -> list[str]:
    days, files, links = _listing(folder)
    links += [link for day in days for link in _listing(day)[2]]
    out = _linked(links, root)
    if files:
        where = f"{rel}/<YYYY-MM-DD>/"
        out.append(f"`{rel}/` holds {_n(len(files), 'file')} outside day folders: move them into {where}")
    bad = [d.name for d in days if parse_day(d.name) is None]
    if bad:
        guess = _guess_day(bad[0])
        hint = f" (`{guess}`?)" if guess else ""
        out.append(f"`{rel}/`: {_n(len(bad), 'day folder')} not named YYYY-MM-DD, e.g. `{bad[0]}`{hint}")
    if not out:
        out.append(f"`{rel}/` has no day folder holding a file")
    return out


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _nearest(name: str, known) -> str:
    match = difflib.get_close_matches(name.lower(), sorted(known), n=1, cutoff=0.6)
    return f": did you mean `{match[0]}`?" if match else f"; known: {', '.join(sorted(known))}"


def _guess_day(name: str) -> str | None:
    """The date a misnamed day folder most likely means: 20261001, 2026_10_01, 2026.10.1."""
    digits = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", name) or re.fullmatch(
        r"(\d{4})\D(\d{1,2})\D(\d{1,2})", name
    )
    if not digits:
        return None
    y, m, d = (int(g) for g in digits.groups())
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None
