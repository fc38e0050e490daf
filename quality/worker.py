"""A night's raw checks in a process of their own, which imports GX while the night loads.

GX takes ~2.5 s of CPU to import, and the raw checks are the step after the landing: in the night's
own process that import lies on its path, and a background thread there slows the busy landing step
by as much as it saves (measured). `siyu run` starts this process as the night starts (a second
core is idle while the night loads), and the raw-checks step hands it the checks: contracts by
source and entity, the days, the run id and Data Docs folder, the warehouse's path and salt, pickled
on its stdin (never on its command line). It opens the warehouse as every step does
(orchestration/connect.py), runs quality.raw_checks.check_raw and answers on its stdout with the
summaries and the lines the step logs. The step holds no connection meanwhile: DuckDB allows one
writing process. One request per process; runs from the UI, the schedule or the sensor check in
their own process, as before. No Dagster here.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from quality.results import CheckSummary


@dataclass(frozen=True)
class Request:
    warehouse: str
    salt: bytes
    tables: tuple[tuple[str, str], ...]  # (source, entity) of each contract checked, in order
    first: date | None
    last: date | None
    run_id: str
    docs: str | None


class ChecksWorker:
    """The process, started on construction; `check` once, or `close` (a night that ends before its
    raw checks) stops it."""

    def __init__(self) -> None:
        self._stderr = tempfile.TemporaryFile()
        root = str(Path(__file__).resolve().parent.parent)
        path = os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))
        env = {**os.environ, "PYTHONPATH": path}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "quality.worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env, cwd=root,
        )

    @property
    def used(self) -> bool:
        return self.process.stdin is None or self.process.stdin.closed

    def check(self, request: Request) -> tuple[list[CheckSummary], list[str]]:
        """The summaries check_raw returns and the lines it logged; RuntimeError (with the process's
        last error lines) when it failed."""
        try:
            pickle.dump(request, self.process.stdin)
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it ended before reading: its error output says why
        answer = self.process.stdout.read()
        if self.process.wait() != 0 or not answer:
            self._stderr.seek(0)
            error = self._stderr.read().decode(errors="replace").strip().splitlines()[-15:]
            raise RuntimeError("the raw checks' process failed:\n" + "\n".join(error))
        return pickle.loads(answer)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self._stderr):
            if stream is not None and not stream.closed:
                stream.close()


# The night's worker while `siyu run` executes it (the in-process executor runs the steps in the
# thread that set it); None: the raw-checks step checks in its own process.
NIGHT_WORKER: ContextVar[ChecksWorker | None] = ContextVar("night_checks_worker", default=None)


@contextmanager
def night_worker() -> Iterator[ChecksWorker]:
    """Within: NIGHT_WORKER is a started worker, stopped on the way out if no step used it."""
    worker = ChecksWorker()
    token = NIGHT_WORKER.set(worker)
    try:
        yield worker
    finally:
        NIGHT_WORKER.reset(token)
        worker.close()


def serve(stdin, stdout) -> None:
    """The process: import GX and the checks now, then answer the one request."""
    import great_expectations  # noqa: F401 — imported before the step asks: this process's point

    from ingestion.contracts import CONTRACTS
    from orchestration.connect import open_warehouse
    from quality.raw_checks import check_raw

    request: Request = pickle.load(stdin)
    by_table = {(c.source, c.entity): c for c in CONTRACTS.values()}
    contracts = [by_table[t] for t in request.tables]
    logged: list[str] = []
    docs = Path(request.docs) if request.docs else None
    with open_warehouse(request.warehouse, request.salt) as con:
        summaries = check_raw(
            con, contracts, request.first, request.last, request.run_id, docs, logged.append
        )
    pickle.dump((summaries, logged), stdout)
    stdout.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
