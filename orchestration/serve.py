"""`siyu serve`: Dagster in production — the webserver and the daemon over orchestration.production,
whose nightly schedule (02:00 Beijing) and landing sensor run from the start.

Both processes are children of this one, each in its own process group with what it starts (the
daemon's code server and the run it launched): it stops both groups when either child stops (and
exits with that one's code, so a service manager restarts the pair) and when it is asked to stop
(SIGTERM, Ctrl-C).
Runs the daemon launches queue one at a time (the Dagster home's dagster.yaml: `run_queue:
max_concurrent_runs: 1` — DuckDB has one writer) and execute in one process, as `siyu run` does.
A night interrupted before it published recorded none of its landing folders as built, so the
sensor's next tick asks a run for them again (every step replaces what it writes).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

MODULE = "orchestration.production"
DAGSTER_YAML = """\
# Written by siyu (orchestration/serve.py) when this Dagster home was created.
telemetry:
  enabled: false
# One run at a time: every night writes the one DuckDB warehouse (one writer).
run_queue:
  max_concurrent_runs: 1
"""


def commands(host: str, port: int, module: str = MODULE) -> list[list[str]]:
    bin_dir = Path(sys.executable).parent
    return [
        [str(bin_dir / "dagster-webserver"), "-m", module, "-h", host, "-p", str(port)],
        [str(bin_dir / "dagster-daemon"), "run", "-m", module],
    ]


def supervise(cmds: list[list[str]], cwd: Path | None = None, poll: float = 0.5) -> int:
    """Start every command; when one exits, or this process is told to stop, stop the others.
    Returns the exit code of the first to exit (0 when asked to stop)."""
    stopping = {"asked": False}

    def ask_to_stop(signum, frame):  # noqa: ARG001 — the signal handler's signature
        stopping["asked"] = True

    previous = {s: signal.signal(s, ask_to_stop) for s in (signal.SIGTERM, signal.SIGINT)}
    procs = [subprocess.Popen(cmd, cwd=cwd, start_new_session=True) for cmd in cmds]
    code = 0
    try:
        while not stopping["asked"]:
            ended = [p for p in procs if p.poll() is not None]
            if ended:
                code = ended[0].returncode
                name = Path(cmds[procs.index(ended[0])][0]).name
                print(f"siyu serve: {name} exited with code {code}; stopping the others", file=sys.stderr)
                break
            time.sleep(poll)
    finally:
        for p in procs:
            _signal_group(p, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                _signal_group(p, signal.SIGKILL)
                p.wait()
        for p in procs:  # what the children started (a run in flight) had the SIGTERM too
            if not _group_gone(p, timeout=20):
                _signal_group(p, signal.SIGKILL)
        for s, handler in previous.items():
            signal.signal(s, handler)
    return code


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)  # the child leads its group (start_new_session)
    except ProcessLookupError:
        pass  # the whole group has exited


def _group_gone(proc: subprocess.Popen, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False
