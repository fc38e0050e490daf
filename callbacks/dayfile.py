"""A day's JSONL file on disk: appended durably, repaired after a crash, published by one rename."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def append(path: Path, data: bytes, root: Path) -> None:
    """`data` at the end of `path` with one O_APPEND descriptor, fsync'ed before returning; a new
    file's folders up to `root` fsync'ed too, so the name survives a power cut as well as the bytes."""
    new = not path.exists()
    if new:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except OSError:  # a full disk: no half line left for the next one to be glued to
            os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)
    if new:
        folder = path.parent
        while True:
            fsync_folder(folder)
            if folder == root or folder == folder.parent:
                break
            folder = folder.parent


def read_whole_lines(path: Path) -> bytes:
    """The file's complete lines. A last line without its newline was being written when the process
    died, so it was never acknowledged (the platform sends it again): it is cut off the file."""
    if not path.is_file():
        return b""
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        with open(path, "r+b") as f:
            f.truncate(end)
            os.fsync(f.fileno())
    return data[:end]


def publish(open_path: Path, closed_path: Path) -> None:
    """Give a finished day's file its loadable name: one rename, then the folder fsync'ed."""
    lines = read_whole_lines(open_path)
    if closed_path.exists():  # published before, then written again (the clock stepped back): keep both
        append(closed_path, lines, closed_path.parent)
        os.unlink(open_path)
    else:
        os.rename(open_path, closed_path)
    fsync_folder(closed_path.parent)
