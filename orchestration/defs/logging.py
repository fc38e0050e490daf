"""A concise console logger for `siyu run`: step starts, asset progress lines, failures."""

from __future__ import annotations

import logging
import sys
import time

from dagster import logger


class _ConciseHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.started = time.monotonic()

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", {}) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        elapsed = f"{time.monotonic() - self.started:6.1f}s"
        if event is None:
            text = meta.get("orig_message") or record.getMessage()
        elif event.event_type_value in ("STEP_START", "STEP_FAILURE", "RUN_FAILURE", "STEP_SUCCESS"):
            text = {"STEP_START": "started", "STEP_SUCCESS": "done",
                    "STEP_FAILURE": "FAILED", "RUN_FAILURE": "run FAILED"}[event.event_type_value]
            if event.event_type_value == "STEP_FAILURE" and event.step_failure_data.error:
                text += f": {event.step_failure_data.error.message.strip()}"
        else:
            return
        print(f"[{elapsed}] {step:<32} {text}", file=sys.stderr, flush=True)


@logger(description="Concise progress lines for terminals and scheduler logs.")
def siyu_console(init_context):
    log = logging.getLogger("siyu.run")
    log.setLevel(logging.INFO)
    log.handlers = [_ConciseHandler()]
    log.propagate = False
    return log
