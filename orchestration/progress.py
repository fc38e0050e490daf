"""What a person watching a run sees: progress bars on long steps (rich, only on a terminal), and
the run log — every Dagster and dbt line goes to a file, the console keeps a line per step."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

CONSOLE = Console(stderr=True)


@contextmanager
def console_progress(title: str) -> Iterator:
    """Yields progress(label, done, total) for long loops; one bar per label."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=CONSOLE, transient=False, disable=not CONSOLE.is_terminal) as bar:
        tasks: dict[str, int] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(f"{title}: {label}", total=total)
            bar.update(tasks[label], completed=done, total=total)

        yield progress


def say(message: str) -> None:
    CONSOLE.print(message, highlight=False, markup=False, soft_wrap=True)


# dbt lines that say what failed (dagster-dbt re-prints dbt's output on stdout, which run_log sends to
# the file): "12 of 269 ERROR creating …", "3 of 50 FAIL 2 unique_…", "Database Error in model x
# (models/x.sql)" with the database's message on the next lines. They are echoed to the console too.
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # dbt colours its PASS/ERROR words; a file needs none
DBT_FAILURE = re.compile(r"^\d+ of \d+ (ERROR|FAIL)\b|\b(Error|Failure) in (model|test|seed|snapshot)\b")


class RunLog:
    """A run's log file: Dagster's lines (logging.py writes them) and dbt's (sys.stdout, redirected)."""

    def __init__(self, path: Path, file) -> None:
        self.path, self._file, self._lock = path, file, threading.Lock()

    def line(self, text: str) -> None:
        with self._lock:
            self._file.write(text.rstrip("\n") + "\n")
            self._file.flush()

    # the file-like side, for redirect_stdout
    def write(self, text: str) -> int:
        text = ANSI_COLOUR.sub("", text)
        with self._lock:
            self._file.write(text)
        if DBT_FAILURE.search(text):
            lines = text.strip("\n").splitlines()
            say("  dbt: " + "\n    ".join(lines[:8]))
        return len(text)

    def flush(self) -> None:
        with self._lock:
            self._file.flush()


_ACTIVE: RunLog | None = None


def active_log() -> RunLog | None:
    """The log of the run in progress in this process (run_log), or None (the UI, a scheduled run)."""
    return _ACTIVE


@contextmanager
def run_log(folder: Path) -> Iterator[Path]:
    """While a run is in progress: every line to <folder>/logs/run-<local time>.log, whose path is
    printed; the console keeps one line per step and what failed. (A run of the small brand prints
    ~1,200 lines, 95% of them dbt's node lines and Dagster's multi-kilobyte selection lines.)"""
    global _ACTIVE
    path = Path(folder) / "logs" / f"run-{datetime.now():%Y%m%d-%H%M%S}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        log, previous = RunLog(path, file), _ACTIVE
        say(f"every Dagster and dbt line of this run: {path}")
        _ACTIVE = log
        try:
            with redirect_stdout(log):
                yield path
        finally:
            _ACTIVE = previous
