"""Landing received events: one JSONL file per entity and Beijing day, appended by one writer.

The day is the day an event is received (Beijing): sources.md lets events arrive in a later day's
folder. While the day lasts its events go to `<landing>/<source>/<entity>/<day>/.callbacks.jsonl`,
a dot name the loader, the landing sensor and `siyu run` skip; when it has ended (checked every minute,
at each event and at start) the file is renamed `callbacks.jsonl`. So a day folder appears once,
complete: the sensor, which asks a night for every changed folder, is not sent one every 5 minutes
all day, and no load reads a file while a line is being added to it.

Durable before acknowledged: a line is appended and fsync'ed (callbacks/dayfile.py) before `append`
returns, and app.py answers `success` only after that — so a crash loses only events the platform
was not told were received, and it sends those again (WeCom and the OA retry three times when no
answer comes within 5 s). A line cut short by a crash was never acknowledged; it is cut off.

Exactly once: a platform retry is the same record (sources.md: same dedupe key and every field the
contract reads). The line holds only those fields, serialised one way, so a repeat is a byte-equal
line; its SHA-1 is looked up in an index of today's and yesterday's files (a retry seconds after
midnight falls on the next day) and the repeat is skipped. The index is rebuilt from the files when
the receiver starts, so a restart forgets nothing. The same key with other values is not a repeat
but a conflict: it is written, and the loader resolves it as it does for files.

One writer: appends take a lock (requests decrypt in parallel, write one at a time, never two halves
of lines interleaved), and `claim` refuses a second receiver on the same landing folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from . import dayfile

BEIJING = ZoneInfo("Asia/Shanghai")
FILE_NAME = "callbacks.jsonl"  # a finished day's file
OPEN_NAME = ".callbacks.jsonl"  # the day's file while the day lasts: hidden from the loader
LOCK_NAME = ".siyu-receive.lock"
log = logging.getLogger("siyu.receive")


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
        self._entities: set[tuple[str, str]] = set()
        self._open_day: date | None = None  # days before it are published

    def path(self, source: str, entity: str, day: date) -> Path:
        """The day's file: `callbacks.jsonl` once published, `.callbacks.jsonl` until then."""
        folder = self.root / source / entity / day.isoformat()
        return folder / FILE_NAME if (folder / FILE_NAME).exists() else folder / OPEN_NAME

    def prepare(self, entities: Iterable[tuple[str, str]]) -> None:
        """At start: publish the days that ended while the receiver was down, and index (and
        repair) today's and yesterday's files now rather than at the first event."""
        with self._lock:
            self._entities.update(entities)
            day = self._today()
            self._publish_before(day)
            for source, entity in self._entities:
                self._recent(source, entity, day)

    def close_days(self) -> list[Path]:
        """Publish every day file of a day that has ended; the files published."""
        with self._lock:
            return self._publish_before(self._today())

    def append(self, source: str, entity: str, line: dict[str, object]) -> bool:
        """Write the line durably; False (nothing written) if it repeats one already written."""
        data = serialise(line)
        digest = hashlib.sha1(data).digest()
        with self._lock:
            self._entities.add((source, entity))
            day = self._today()
            if day != self._open_day:
                self._publish_before(day)
            today, yesterday = self._recent(source, entity, day)
            if digest in today or digest in yesterday:
                return False
            dayfile.append(self.path(source, entity, day), data, self.root)
            today.add(digest)
        return True

    def _publish_before(self, day: date) -> list[Path]:
        published = []
        for source, entity in sorted(self._entities):
            for open_path in sorted((self.root / source / entity).glob(f"*/{OPEN_NAME}")):
                if open_path.parent.name < day.isoformat():  # YYYY-MM-DD sorts as dates do
                    dayfile.publish(open_path, open_path.with_name(FILE_NAME))
                    published.append(open_path.with_name(FILE_NAME))
                    log.info("day closed: %s", published[-1].relative_to(self.root))
        self._open_day = day
        return published

    def _recent(self, source: str, entity: str, day: date) -> tuple[set[bytes], set[bytes]]:
        for key in [k for k in self._seen if k[:2] == (source, entity) and k[2] < day - timedelta(1)]:
            del self._seen[key]  # older days: no retry reaches back that far
        return tuple(self._index(source, entity, d) for d in (day, day - timedelta(1)))

    def _index(self, source: str, entity: str, day: date) -> set[bytes]:
        key = (source, entity, day)
        if key not in self._seen:
            data = dayfile.read_whole_lines(self.path(source, entity, day))
            self._seen[key] = {hashlib.sha1(line).digest() for line in data.splitlines(keepends=True)}
        return self._seen[key]
