"""`siyu run` begins the night's first two steps, the landing and the raw checks, as the night starts.

Before Dagster's first step, a demo night spent ~6 s in this process importing Dagster and dagster-dbt,
building the definitions and creating the run, with the machine's other core mostly idle. Yet
`siyu run` knows what its landing step will load (the plan: tonight's folders, the window) and what
its raw-checks step will check (every raw table of the window) before any of that. So once the plan
is made and the warehouse's seeds are read, a thread here sends the landing to a worker process
(orchestration/worker.py; ingestion/load/night.py), and once the landing has answered, the raw checks
to theirs (quality/worker.py), under the run id the run will be created with. The two steps, when
Dagster reaches them, take these answers instead of doing the work again: the same tables'
materializations, check results and logged lines.

Only one process writes the warehouse at a time: this one opens it no more once the landing has
begun (DuckDB allows one writing process), and the night waits for the thread before it ends. A
step whose request is not the one begun ahead (not expected under `siyu run`) waits for the work
begun ahead to end, then does its own in process, and so does the raw-checks step after such a
landing. A landing that fails comes back to its step as an error with the worker's traceback, and
the raw checks are then never sent: the step after a failed landing does not run either. The
console line of a step that took its worker's answer gives the time the work took in the worker
(`ahead_seconds`). No Dagster here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ingestion.load.night import Landed, LandingRequest
from orchestration.worker import NightWorkers
from quality import worker as raw_checks_worker

LANDING = "landing"  # the landing worker's name among a night's workers
LANDING_MODULES = ("ingestion.load.night", "orchestration.connect")
LAND = "ingestion.load.night:land_request"
STEPS = {LANDING: "landing", raw_checks_worker.NAME: "raw_quality"}  # worker → Dagster step


class Ahead:
    """The landing and then the raw checks, each sent to its worker by one thread."""

    def __init__(self, workers: NightWorkers, landing: LandingRequest,
                 checks: raw_checks_worker.Request) -> None:
        workers.start(LANDING, LANDING_MODULES)
        workers.start(raw_checks_worker.NAME, raw_checks_worker.MODULES)
        self.landing, self.checks = landing, checks
        self._workers = {name: workers.take(name) for name in (LANDING, raw_checks_worker.NAME)}
        self.answers: dict[str, Future] = {name: Future() for name in self._workers}
        self.seconds: dict[str, float] = {}  # by Dagster step: the time each took in its worker
        self.taken: set[str] = set()  # the steps that took their worker's answer
        self.declined = False  # a step did its own work: the ones after it do too
        self._thread = threading.Thread(target=self._run, name="night-ahead", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for name, function, request in ((LANDING, LAND, self.landing),
                                        (raw_checks_worker.NAME, raw_checks_worker.CHECK, self.checks)):
            worker, answer = self._workers[name], self.answers[name]
            if worker is None:  # already used (not expected): this step and the next work in process
                self._end_from(name, None)
                return
            started = time.monotonic()
            try:
                result = worker.call(function, request)
            except BaseException as exc:  # noqa: BLE001 — the step raises it
                answer.set_exception(exc)
                self._end_from(name, RuntimeError(f"not begun: {name} failed"), after=True)
                return
            self.seconds[STEPS[name]] = time.monotonic() - started  # before the step can end
            answer.set_result(result)

    def _end_from(self, name: str, error: BaseException | None, after: bool = False) -> None:
        """Answer `name` (or only the steps after it) with nothing to take, or with `error`."""
        names = list(self.answers)
        for later in names[names.index(name) + after:]:
            if error is None:
                self.answers[later].set_result(None)
            else:
                self.answers[later].set_exception(error)

    def wait(self) -> None:
        """Until the work begun ahead has ended (answered or failed)."""
        self._thread.join()

    def answer(self, name: str, request: Any) -> Any:
        """The worker's answer to `request`, or None when the step asks for something else, or an
        earlier step did its own work (by then the work begun ahead has ended, so the step may open
        the warehouse; the checks begun ahead checked the landing begun ahead, not the step's). A
        failure comes back as the worker's RuntimeError."""
        begun = self.landing if name == LANDING else self.checks
        if request != begun or self.declined:
            self.declined = True
            self.wait()
            return None
        answer = self.answers[name].result()
        if answer is None:
            self.declined = True
        else:
            self.taken.add(STEPS[name])
        return answer

    def seconds_taken(self, step: str) -> float | None:
        """The time a step's work took in its worker, when the step took that work."""
        return self.seconds.get(step) if step in self.taken else None


# The running night's work begun ahead (`siyu run`: the in-process executor runs every step in the
# thread that set it); None: the steps do their own work.
AHEAD: ContextVar[Ahead | None] = ContextVar("ahead", default=None)


@contextmanager
def begun_ahead(workers: NightWorkers, landing: LandingRequest,
                checks: raw_checks_worker.Request) -> Iterator[Ahead]:
    """Within: the landing and raw checks begun ahead; on the way out, waits for them to end."""
    ahead = Ahead(workers, landing, checks)
    token = AHEAD.set(ahead)
    try:
        yield ahead
    finally:
        AHEAD.reset(token)
        ahead.wait()


def landed_ahead(request: LandingRequest) -> Landed | None:
    ahead = AHEAD.get()
    return None if ahead is None else ahead.answer(LANDING, request)


def checked_ahead(request: raw_checks_worker.Request):
    """(summaries, logged lines) of the raw checks begun ahead, or None (see Ahead.answer)."""
    ahead = AHEAD.get()
    return None if ahead is None else ahead.answer(raw_checks_worker.NAME, request)


def ahead_seconds(step: str) -> float | None:
    """The time a Dagster step's work took in its worker, when it was begun ahead."""
    ahead = AHEAD.get()
    return None if ahead is None else ahead.seconds_taken(step)
