"""Modules a night's later step needs, imported ahead in a background thread while the process has
time to spare (it mostly waits on a dbt step, or on DuckDB, which releases the GIL).

The thread must be over before any other step runs. Python's import locks keep two threads from
importing one module twice, but not from meeting inside a package whose modules import each other:
when each thread holds a module the other needs, Python breaks the deadlock by handing one of them
the other's module half initialized. A night whose raw checks imported GX while this thread was
still importing it stopped on `partially initialized module 'sqlalchemy.orm.exc' has no attribute
'UnmappedClassError'` (a loaded machine, where GX's import outlasted the seeds' dbt step). So the
imports run inside a dbt step only (`imports_ahead_of`), and the step ends when they have: a later
step then finds them done, and it pays nothing it would not have paid importing them itself.

An import that fails here is left for the step to raise where it is reported. Plain Python: no
dagster import.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager


def import_in_background(
    modules: Iterable[str], name: str = "imports", then: Callable[[], None] | None = None
) -> threading.Thread:
    """Start importing `modules`, in order, then calling `then` (a warm-up the step would otherwise
    do first), in a daemon thread; returns the thread. Join it before anything else may import
    (`imports_ahead_of`)."""
    modules = tuple(modules)

    def run() -> None:
        try:
            for module in modules:
                importlib.import_module(module)
            if then is not None:
                then()
        except Exception:  # noqa: BLE001 — the step imports it again and says what is wrong
            return

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


@contextmanager
def imports_ahead_of(
    modules: Iterable[str], then: Callable[[], None] | None = None
) -> Iterator[threading.Thread | None]:
    """Within: `modules` imported (then `then` called) in a background thread, while the caller
    waits on something that imports nothing (a dbt process's events); on the way out, however it
    leaves, the thread is waited for. Nothing to import (empty `modules`): no thread."""
    modules = tuple(modules)
    thread = import_in_background(modules, "imports-ahead", then) if modules else None
    try:
        yield thread
    finally:
        if thread is not None:
            thread.join()
