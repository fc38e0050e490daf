"""Landing received events: one JSONL file per entity and Beijing day, appended by one writer.

`<landing>/<source>/<entity>/<YYYY-MM-DD>/callbacks.jsonl`, the day being the day the event was
received (Beijing): sources.md lets events arrive in a later day's folder, and a day folder that
changes is loaded again.

Durable before acknowledged: a line is written with one `write` on an O_APPEND descriptor and
fsync'ed (the file's folder too when the file is new) before `append` returns, and app.py answers
`success` only after that — so a crash loses only events the platform was not told were received,
and it sends those again (WeCom and the OA retry three times when no answer comes within 5 s).

Exactly once: a platform retry is the same record (sources.md: same dedupe key and every field the
contract reads). The line holds only those fields, serialised one way, so a repeat is a byte-equal
line; its SHA-1 is looked up in an index of today's and yesterday's files (a retry within seconds of
midnight lands in the next day's folder) and the repeat is skipped. The index is rebuilt from the
files when the receiver starts, so a restart forgets nothing. Same key with other values is not a
repeat but a conflict; it is written, and the loader resolves it as it does for files.

One writer: appends take a lock (requests decrypt in parallel, write one at a time, never two
halves of lines interleaved), and `claim` refuses a second receiver on the same landing folder.
A line cut short by a crash mid-write was never acknowledged; it is cut off at start.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
FILE_NAME = "callbacks.jsonl"
LOCK_NAME = ".siyu-receive.lock"  # a dot name: the loader's layout skips it


def beijing_today() -> date:
    return datetime.now(BEIJING).date()


class LandingBusy(RuntimeError):
    """Another receiver holds the landing folder."""


def claim(root: Path) -> int:
    """Hold the landing folder's receiver lock for this process's life (released when it exits,
    however it exits); LandingBusy if another process holds it."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LandingBusy(f"another `siyu receive` is writing {root}") from None
    return fd


def serialise(line: dict[str, object]) -> bytes:
    return (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")


class Landing:
    def __init__(self, root: Path, today: Callable[[], date] = beijing_today) -> None:
        self.root = root
        self._today = today
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str, date], set[bytes]] = {}

    def path(self, source: str, entity: str, day: date) -> Path:
        return self.root / source / entity / day.isoformat() / FILE_NAME

    def prepare(self, entities: list[tuple[str, str]]) -> None:
        """Index (and repair) today's and yesterday's files now, not at the first event."""
        with self._lock:
            for source, entity in entities:
                self._recent(source, entity, self._today())

    def append(self, source: str, entity: str, line: dict[str, object]) -> bool:
        """Write the line durably; False (nothing written) if it repeats one already written."""
        data = serialise(line)
        digest = hashlib.sha1(data).digest()
        with self._lock:
            day = self._today()
            today, yesterday = self._recent(source, entity, day)
            if digest in today or digest in yesterday:
                return False
            self._write(self.path(source, entity, day), data)
            today.add(digest)
        return True

    def _recent(self, source: str, entity: str, day: date) -> tuple[set[bytes], set[bytes]]:
        for key in [k for k in self._seen if k[:2] == (source, entity) and k[2] < day - timedelta(1)]:
            del self._seen[key]  # older days: no retry reaches back that far
        return tuple(self._index(source, entity, d) for d in (day, day - timedelta(1)))

    def _index(self, source: str, entity: str, day: date) -> set[bytes]:
        key = (source, entity, day)
        if key not in self._seen:
            path = self.path(source, entity, day)
            data = path.read_bytes() if path.is_file() else b""
            end = data.rfind(b"\n") + 1
            if end < len(data):  # a torn last line: written by a process that died before answering
                with open(path, "r+b") as f:
                    f.truncate(end)
                    os.fsync(f.fileno())
            self._seen[key] = {hashlib.sha1(line).digest() for line in data[:end].splitlines(keepends=True)}
        return self._seen[key]

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
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
        if new:  # the new names must survive a power cut too: fsync day, entity, source and landing folders
            for folder in path.parents[:4]:
                dfd = os.open(folder, os.O_RDONLY)
                try:
                    os.fsync(dfd)
                finally:
                    os.close(dfd)
