"""Progress on long steps, for the terminal (rich) — silent when output is not a terminal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
    CONSOLE.print(message, highlight=False)
