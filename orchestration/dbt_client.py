"""The dbt executable of a `siyu run` night: each dbt step through the night's warm dbt process
(orchestration/warm.py), else dbt itself.

dagster-dbt runs its dbt executable as a process, reads dbt's JSON lines on its stdout and judges
the step by the exit code. This script sends the step's arguments, environment and folder to the
warm process; a fork of it runs the step and its output comes back here, printed as `dbt` prints
it; the exit code is the one `dbt` would give (0 success, 1 a node failed, 2 an error). When the
warm process does not take the step (none running, it failed to parse, the project changed since,
arguments it does not serve), nothing has run and this becomes dbt itself (exec). When it dies
during a step, the step fails (exit 2), as a `dbt` process that died would. Standard library
only: it starts for every step.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys

# Around dbt's output (text lines, no NUL): the step's pid first (an interrupt dagster-dbt sends to
# a step it stops is passed on), the exit code last.
PID, EXIT = b"\0siyu-dbt-pid ", b"\0siyu-dbt-exit "


def client(address: str, dbt: str) -> None:
    """The dbt executable dagster-dbt runs: the step through the warm process, else dbt itself."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(address)
        request = {"args": sys.argv[1:], "env": dict(os.environ), "cwd": os.getcwd()}
        conn.sendall(json.dumps(request).encode() + b"\n")
        stream = conn.makefile("rb", buffering=0)
        header = stream.readline()
    except OSError:
        header = b""
    if not header.startswith(PID):  # the step was not taken: nothing ran
        conn.close()
        os.execv(dbt, [dbt, *sys.argv[1:]])
    child = int(header[len(PID):])
    signal.signal(signal.SIGINT, lambda *_: os.kill(child, signal.SIGINT))
    sys.exit(relay(stream, sys.stdout.buffer))


def relay(stream, out) -> int:
    """Copy the step's output to `out` up to the exit marker; the step's exit code (2 when the
    stream ended without one: the warm process or the step died)."""
    pending = b""
    while chunk := stream.read(65536):
        pending += chunk
        if EXIT in pending:
            head, _, tail = pending.partition(EXIT)
            out.write(head)
            out.flush()
            while b"\n" not in tail and (more := stream.read(64)):
                tail += more
            code = tail.split(b"\n")[0]
            return int(code) if code.lstrip(b"-").isdigit() else 2
        keep = len(EXIT) - 1  # the marker may arrive split across two reads
        out.write(pending[:-keep])
        out.flush()
        pending = pending[-keep:]
    out.write(pending)
    out.write(b"siyu: the warm dbt process ended before this dbt step did\n")
    out.flush()
    return 2
