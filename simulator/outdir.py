"""The simulator's output folder: it writes only into a folder it made, and deletes only what it wrote.

`siyu simulate --out` (and once the demo, through SIYU_LANDING_DIR) can be pointed at a brand's real
landing folder by mistake; the simulator used to empty every source folder there first. Now a folder
holding anything without the marker `_siyu-simulated.json` is refused untouched. The marker lists
every file a finished simulation wrote, with its size; the next simulation deletes exactly those and
the folders they leave empty. A folder that also holds a file the simulator did not write (or one it
wrote, since replaced by another size) is refused before anything is deleted.

A simulation stopped half way leaves the marker without its list: everything under the simulator's
own folders (one per source, `_truth`) is then taken as its output, since the folder was empty when
the marker was written. Landing discovery skips names starting with `_` (like `_truth/`), so the
marker is never loaded.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

MARKER = "_siyu-simulated.json"


class ForeignFolder(RuntimeError):
    """The output folder holds files the simulator did not write; nothing was changed."""


def claim(out: Path, own_folders: list[str]) -> None:
    """Make `out` ready for a new simulation: refuse a folder that is not ours, delete our last output."""
    if out.exists() and not out.is_dir():
        raise ForeignFolder(f"{out} is a file, not a folder: choose a new or empty folder for --out")
    present = _files(out) if out.is_dir() else {}
    marker = out / MARKER
    if not marker.is_file():
        if out.is_dir() and any(out.iterdir()):
            raise ForeignFolder(
                f"{out} is not empty ({_some(present) or 'folders only'}) and the simulator did not "
                f"write it (no {MARKER} marker): it writes only into a new or empty folder, or one it "
                "wrote before. Nothing was changed; choose another folder"
            )
        ours = {}
    else:
        try:
            written = json.loads(marker.read_text(encoding="utf-8"))["files"]
        except (ValueError, KeyError, TypeError):
            raise ForeignFolder(f"{marker} is not the simulator's marker: choose another folder") from None
        if written is None:  # stopped half way
            ours = {p: s for p, s in present.items() if PurePosixPath(p).parts[0] in own_folders}
        else:
            ours = {p: s for p, s in present.items() if written.get(p) == s}
        foreign = {p: s for p, s in present.items() if p not in ours and p != MARKER}
        if foreign:
            raise ForeignFolder(
                f"{out} holds {len(foreign)} files the simulator did not write ({_some(foreign)}): "
                "move them out or choose another folder. Nothing was changed"
            )
    for rel in sorted(ours):
        _delete(out, rel)
    out.mkdir(parents=True, exist_ok=True)
    _write_marker(out, None)


def seal(out: Path) -> None:
    """Record every file of `out` as this simulation's output (claim left nothing else there)."""
    _write_marker(out, {p: s for p, s in _files(out).items() if p != MARKER})


def _write_marker(out: Path, files: dict[str, int] | None) -> None:
    note = "written by `siyu simulate`: the next simulation deletes these files, and nothing else"
    text = json.dumps({"note": note, "files": files}, indent=1, sort_keys=True, ensure_ascii=False)
    (out / MARKER).write_text(text + "\n", encoding="utf-8")


def _files(root: Path) -> dict[str, int]:
    """Relative posix path → size of every file under `root`; links are listed, never followed."""
    out = {}
    for folder, _, names in os.walk(root, followlinks=False):
        for name in names:
            path = Path(folder, name)
            out[path.relative_to(root).as_posix()] = path.lstat().st_size
    return out


def _delete(root: Path, rel: str) -> None:
    """Delete root/rel and the folders it leaves empty, never anything outside root."""
    parts = PurePosixPath(rel).parts
    if not parts or ".." in parts or PurePosixPath(rel).is_absolute():
        return
    path = root.joinpath(*parts)
    if path.parent.resolve() != root.resolve().joinpath(*parts[:-1]):
        return  # a folder on the way is a link: what it points to is not ours
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != root:
        try:
            folder.rmdir()
        except OSError:  # not empty
            break
        folder = folder.parent


def _some(files: dict[str, int], shown: int = 3) -> str:
    names = sorted(files)
    more = f", … {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more
