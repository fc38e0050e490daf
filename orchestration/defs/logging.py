"""The run's logger: one console line per step (landing, checks, dbt, identity, CLV, publish) with
its counts and time, failures in full; every record to the run log (orchestration/progress.py)."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime

from dagster import DagsterEventType, logger

from orchestration.ahead import ahead_seconds
from orchestration.progress import active_log

STEP_NAMES = {"landing": "landing", "raw_quality": "raw checks", "identity_graph": "identity",
              "clv_predictions": "CLV", "exports__guide_tasks": "guide lists", "publish__marts": "publish"}


def _name(step: str) -> str:
    return "dbt" if step.startswith("siyu_dbt_models") else STEP_NAMES.get(step, step)


def _value(metadata: dict, key: str, default=0):
    entry = metadata.get(key)
    return getattr(entry, "value", entry) if entry is not None else default


class _Step:
    """What one step did, from its events: materializations (by layer) and check results."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.layers: Counter = Counter()  # assets materialized, by layer
        self.metadata: dict[tuple, dict] = {}  # by asset: a partition range repeats it per day
        self.checks: Counter = Counter()  # passed / warned / blocking
        self.warnings = 0

    def summary(self, step: str) -> str:
        if step.startswith("siyu_dbt_models"):
            built = ", ".join(f"{n} {layer}" for layer, n in sorted(self.layers.items())) or "nothing"
            return f"{built}; {self._checks('tests')}"
        meta = list(self.metadata.values())
        if step == "landing":
            loaded = sum(_value(m, "rows_loaded") for m in meta)
            quarantined = sum(_value(m, "rows_quarantined") for m in meta)
            days = sum(_value(m, "days_loaded") for m in meta)
            return f"{len(meta)} tables, {days} table-days: {loaded:,} rows, {quarantined:,} quarantined"
        if step == "raw_quality":
            return self._checks("checks")
        if step == "identity_graph" and meta:
            m = next((m for m in meta if "identifiers" in m), meta[0])
            return (f"{_value(m, 'customers_and_excluded_people'):,} customers from "
                    f"{_value(m, 'identifiers'):,} identifiers ({_value(m, 'path', '?')}; "
                    f"{_value(m, 'merges')} merges, {_value(m, 'splits')} splits)")
        if step == "clv_predictions" and meta:
            m = meta[0]
            return f"{_value(m, 'status', '?')}, fitted in {_value(m, 'fit_seconds', '?')} s"
        if step == "exports__guide_tasks" and meta:
            m = meta[0]
            if _value(m, "status", "?") != "ok":
                return f"not written: {_value(m, 'status', '?')}"
            return f"{_value(m, 'tasks'):,} tasks for {_value(m, 'guides')} guides → {_value(m, 'path', '?')}"
        if step == "publish__marts" and meta:
            m = meta[0]
            version = _value(m, "storage_version", "?")
            return f"{_value(m, 'tables')} marts → {_value(m, 'path', '?')} (storage {version})"
        return f"{sum(self.layers.values())} assets"

    def _checks(self, noun: str) -> str:
        text = f"{self.checks['passed']} {noun} passed"
        for kind in ("warned", "blocking"):
            if self.checks[kind]:
                text += f", {self.checks[kind]} {'failed (blocking)' if kind == 'blocking' else 'warned'}"
        return text


def _terminal():
    """Where the step lines go: a duplicate of the process's stderr taken as the run starts. Dagster
    captures each step's stderr at the file-descriptor level for its compute logs, and a line written
    while the last step's capture was closing went to that step's log file instead of the console
    (the `publish:` line went missing on some nights). A stderr with no descriptor (a test's
    StringIO) is written to as it is."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return sys.stderr
    return os.fdopen(os.dup(fd), "w", buffering=1, encoding="utf-8", errors="replace")


class _ConciseHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.started = time.monotonic()
        self.steps: dict[str, _Step] = defaultdict(_Step)
        # not closed with the handler: Dagster closes its loggers' handlers before the run's last
        # events; the descriptor goes with the process (one run a process: `siyu run`, a run worker)
        self.out = _terminal()

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", {}) or {}
        event, step = meta.get("dagster_event"), meta.get("step_key") or ""
        self._to_file(record, event, step)
        kind = event.event_type if event is not None else None
        if kind == DagsterEventType.STEP_START:
            self.steps[step] = _Step()
        elif kind == DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.event_specific_data.materialization
            done, key = self.steps[step], tuple(materialization.asset_key.path)
            if key not in done.metadata:
                done.layers[_layer(list(key))] += 1
            done.metadata[key] = dict(materialization.metadata)
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION:
            self._check(step, event.event_specific_data)
        elif kind == DagsterEventType.STEP_SUCCESS:
            done = self.steps[step]
            warned = f"; {done.warnings} warnings in the log" if done.warnings else ""
            ahead = ahead_seconds(step)  # the landing and raw checks under `siyu run`: their worker's time
            took = f"{time.monotonic() - done.started:.0f} s" if ahead is None else \
                f"{ahead:.0f} s, begun as the night started"
            self._say(f"{_name(step)}: {done.summary(step)}{warned} ({took})")
        elif kind == DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            self._say(f"{_name(step)} FAILED: {error.message.strip() if error else ''}")
        elif kind == DagsterEventType.RUN_FAILURE:
            self._say("run FAILED")
        elif event is None and record.levelno >= logging.ERROR:
            self._say(f"{_name(step)} ERROR: {meta.get('orig_message') or record.getMessage()}")
        elif event is None and record.levelno >= logging.WARNING:
            self.steps[step].warnings += 1

    def _check(self, step: str, evaluation) -> None:
        """A failing blocking check is printed (what failed, where); warnings are counted."""
        if evaluation.passed:
            self.steps[step].checks["passed"] += 1
            return
        blocking = getattr(evaluation.severity, "value", "") == "ERROR"
        self.steps[step].checks["blocking" if blocking else "warned"] += 1
        if blocking:
            m = evaluation.metadata
            failures = _value(m, "failures", None) or [_value(m, "status", "failed")]
            files = _value(m, "files", None) or []
            self._say(f"  FAIL {'/'.join(evaluation.asset_key.path)} '{evaluation.check_name}': "
                      f"{'; '.join(str(f) for f in failures[:2])}"
                      + (f" — files: {', '.join(files[:5])}" if files else ""))

    def _to_file(self, record: logging.LogRecord, event, step: str) -> None:
        log = active_log()
        if log is None:
            return
        text = record.getMessage()
        failure = event.step_failure_data if event is not None and event.is_step_failure else None
        if failure is not None and failure.error:
            text += "\n" + failure.error.to_string()
        stamp = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        log.line(f"{stamp} {record.levelname:<7} {step or '-'} {text}")

    def _say(self, text: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f}s] {text}", file=self.out, flush=True)


def _layer(path: list[str]) -> str:
    """A dbt asset's layer from its key: [marts, user_assets] → marts; [seeds, …] → seeds."""
    return path[0] if len(path) > 1 else "models"


@logger(description="One line per step for terminals and scheduler logs; every record to the run log.")
def siyu_console(init_context):
    log = logging.getLogger("siyu.run")
    log.setLevel(logging.DEBUG)
    log.handlers = [_ConciseHandler()]
    log.propagate = False
    return log
