"""Landing retention: which old day folders were loaded unchanged and may go (orchestration.retention).

"Unchanged" is judged against what the warehouse recorded at load: raw._load_log names every file it
read with its load time. A file missing there, or modified after its load time, keeps its folder.
The log keeps no size or content hash per file, so a file replaced by another with an older
modification time (`cp -p`, `rsync -t`) would pass: a content hash recorded at load would close that.
Nothing here follows a symbolic link: links and folders holding one are reported and kept.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path


def loaded_files(con, cut: date) -> dict[str, datetime]:
    """Landing-relative path → when it was last loaded, for the load log's days before `cut`."""
    import duckdb

    try:
        sql = "select file, max(loaded_at) from raw._load_log where business_date < ? group by 1"
        return dict(con.execute(sql, [cut]).fetchall())
    except duckdb.CatalogException:  # nothing loaded yet
        return {}


def day_folders(root: Path, cut: date):
    """(relative path, folder or None when it is a link) of <source>/<entity>/<day>/ folders before
    `cut`; a link at any level is reported, never entered."""
    from ingestion.landing.layout import parse_day

    for source in sorted(os.scandir(root), key=lambda e: e.name):
        if source.is_symlink():
            yield source.name, None
            continue
        if not source.is_dir(follow_symlinks=False):
            continue
        for entity in sorted(os.scandir(source.path), key=lambda e: e.name):
            if entity.is_symlink():
                yield f"{source.name}/{entity.name}", None
                continue
            if not entity.is_dir(follow_symlinks=False):
                continue
            for day in sorted(os.scandir(entity.path), key=lambda e: e.name):
                parsed = parse_day(day.name)
                if parsed is None or parsed >= cut:
                    continue
                rel = f"{source.name}/{entity.name}/{day.name}"
                yield rel, None if day.is_symlink() else Path(day.path)


def folder_verdict(
    rel: str, folder: Path | None, loaded: dict[str, datetime]
) -> tuple[list[Path], str | None]:
    """(the folder's files, None) when every file was loaded unchanged; else ([], why it is kept)."""
    if folder is None:
        return [], "a symbolic link: not followed"
    if not folder.is_dir():
        return [], "not a folder"
    files = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_symlink():
            return [], f"holds a symbolic link ({entry.name}), not followed"
        if entry.is_dir(follow_symlinks=False):
            return [], f"holds a sub-folder ({entry.name}) the loader does not read"
        at = loaded.get(f"{rel}/{entry.name}")
        if at is None:
            return [], f"{entry.name} was never loaded"
        modified = datetime.fromtimestamp(entry.stat(follow_symlinks=False).st_mtime, UTC)
        if modified > at:
            return (
                [],
                f"{entry.name} changed after its load ({modified:%Y-%m-%d %H:%M} > {at:%Y-%m-%d %H:%M} UTC)",
            )
        files.append(Path(entry.path))
    return (files, None) if files else ([], "empty")
