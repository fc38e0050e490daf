"""Python processes a night starts ahead of the steps that need them, so that their imports run on
the machine's other core while the night is busy elsewhere.

A step can spend most of its time importing: the raw checks import GX (~2.5 s of CPU) right after
the landing. In the night's own process that import lies on the step's path, and a thread importing
beside a step that is busy in Python slows that step by about what it saves (measured on the
landing step). A worker is `python -m orchestration.worker MODULE...`, in the night's working
folder and environment: it imports its modules as it starts (`module:function`: and calls that
function, a warm-up taking no argument), then waits for one call, a function
named `module:function` and its arguments, pickled on its stdin. It answers on its stdout with the
result, pickled. The call and its result cross pipes between this process and its child, never a command
line. A call that raises comes back as a RuntimeError with the worker's traceback. No Dagster here.

`night_workers()` holds a night's workers by name (`siyu run`); a step that finds none (runs from
the UI, the schedule or the sensor) does its work in its own process, as before.
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class Worker:
    """One process, started on construction: `send` a call then read its `result` (or `call` for
    both), once; `close` stops it if it is still running."""

    def __init__(self, modules: Iterable[str]) -> None:
        self.modules = tuple(modules)
        self._stderr = tempfile.TemporaryFile()
        path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "orchestration.worker", *self.modules],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            env={**os.environ, "PYTHONPATH": path},  # the same working folder: relative paths agree
        )
        self.function: str | None = None
        self.answered = False

    @property
    def used(self) -> bool:
        return self.function is not None

    def send(self, function: str, *args: Any) -> None:
        if self.used:
            raise RuntimeError(f"this worker already ran {self.function}")
        self.function = function
        try:
            pickle.dump((function, args), self.process.stdin)
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it ended before reading: result() says why

    def result(self, wait_exit: bool = True) -> Any:
        """The call's result. `wait_exit=False` takes a complete answer without waiting for the
        process to end: an interpreter that imported pymc-marketing takes ~1 s to tear down, on the
        step's path. Only for calls whose worker holds nothing another process waits for (no
        warehouse open): `close` lets it end by itself."""
        answer = self.process.stdout.read()
        if not wait_exit and answer:
            try:
                ok, value = pickle.loads(answer)
            except Exception:  # noqa: BLE001 — cut short: the exit code and error output say why
                ok = False
            if ok:
                self.answered = True
                return value
        code = self.process.wait()
        if code == 0 and answer:
            ok, value = pickle.loads(answer)
            if ok:
                return value
            raise RuntimeError(f"{self.function} failed in its worker process:\n{value}")
        self._stderr.seek(0)
        error = "\n".join(self._stderr.read().decode(errors="replace").strip().splitlines()[-15:])
        raise RuntimeError(f"the worker process for {self.function} ended ({code}):\n{error}")

    def call(self, function: str, *args: Any) -> Any:
        self.send(function, *args)
        return self.result()

    def close(self) -> None:
        if self.process.poll() is None and self.answered:
            try:  # answered, and ending by itself (result(wait_exit=False))
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self._stderr):
            if stream is not None and not stream.closed:
                stream.close()


class NightWorkers:
    """A night's workers by name: started by whichever step first knows a later one needs them, taken
    by the step that uses them, every one stopped when the night ends."""

    def __init__(self) -> None:
        self.started: dict[str, Worker] = {}

    def start(self, name: str, modules: Iterable[str]) -> bool:
        """Start the worker `name` unless it was; True when this started it."""
        if name in self.started:
            return False
        self.started[name] = Worker(modules)
        return True

    def take(self, name: str) -> Worker | None:
        """The worker `name` if it was started and nobody used it yet."""
        worker = self.started.get(name)
        return worker if worker is not None and not worker.used else None

    def close(self) -> None:
        for worker in self.started.values():
            worker.close()


# The running night's workers (`siyu run`: the in-process executor runs every step in the thread
# that set it); None: steps work in their own process.
NIGHT_WORKERS: ContextVar[NightWorkers | None] = ContextVar("night_workers", default=None)


WORKERS_ENV = "SIYU_NIGHT_WORKERS"


def workers_wanted() -> bool:
    """$SIYU_NIGHT_WORKERS: 1 (worker processes, the default with 2 cores or more) or 0 (none: every
    step in the night's own process, the default on one core, where a worker only adds its imports).
    0 also suits a process that runs many nights, as the test suite does: it imports the fit's and
    GX's modules once, where each night's workers import them again."""
    from orchestration.settings import ConfigError

    text = os.environ.get(WORKERS_ENV, "").strip()
    if not text:
        return (os.cpu_count() or 1) > 1
    if text not in ("0", "1"):
        raise ConfigError(f"{WORKERS_ENV}={text}: 1 (worker processes) or 0 (none)")
    return text == "1"


@contextmanager
def night_workers() -> Iterator[NightWorkers | None]:
    """A night's workers, or None when they are not wanted (workers_wanted)."""
    if not workers_wanted():
        yield None
        return
    workers = NightWorkers()
    token = NIGHT_WORKERS.set(workers)
    try:
        yield workers
    finally:
        NIGHT_WORKERS.reset(token)
        workers.close()


def _serve(modules: list[str]) -> None:
    # The answer gets the stdout pipe to itself: whatever a module prints (Python or C) goes to the
    # error output instead, where it cannot corrupt the pickle.
    answer_to = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for module in modules:  # `module:function`: a warm-up, called once its module is imported
        name, _, warm = module.partition(":")
        loaded = importlib.import_module(name)
        if warm:
            getattr(loaded, warm)()
    function, args = pickle.load(sys.stdin.buffer)
    try:
        module, name = function.split(":")
        answer = (True, getattr(importlib.import_module(module), name)(*args))
    except Exception:  # noqa: BLE001 — the caller raises it with this traceback
        answer = (False, traceback.format_exc())
    with answer_to:
        pickle.dump(answer, answer_to)


if __name__ == "__main__":
    _serve(sys.argv[1:])
