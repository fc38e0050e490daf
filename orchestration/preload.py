"""Modules a night's later step needs, imported ahead in a background thread while the process has
time to spare (it mostly waits on a dbt step, or on DuckDB, which releases the GIL).

Python's import lock makes the step's own import wait for a module still being imported, never
import it twice; an import that fails here is left for the step to raise where it is reported.
Plain Python: no dagster import.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterable


def import_in_background(
    modules: Iterable[str], name: str = "imports", then: Callable[[], None] | None = None
) -> threading.Thread:
    """Start importing `modules`, in order, then calling `then` (a warm-up the step would otherwise
    do first), in a daemon thread; returns the thread."""
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
