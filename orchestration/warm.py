"""A `siyu run` night's dbt steps started from one warm process: dbt imported and the project parsed
once, each step a fork of that process.

Dagster splits a night's dbt build into 3 steps (around the identity and CLV steps), and each was a
new `dbt` process that imported dbt (~1.9 s of CPU) and loaded the project (~1.5 s) before its first
node. `siyu run` starts this process as the night starts — a new interpreter that imports dbt and
parses the project (partially, from the manifest `siyu run` just made current) while the landing
and the raw checks run on the other core — and gives dagster-dbt, as its dbt executable, a small
client script (orchestration/dbt_client.py). The client sends the step's arguments, environment
and folder; this process forks, and the child runs them with dbt's programmatic runner given the
parsed manifest (dbt's documented way not to parse again). A fork per step: every step starts from
the same state, as a new process would, and nothing a step leaves behind reaches the next.

What a fork inherits is checked, not assumed: this process never opens the warehouse (parsing
does not connect; the step's fork opens it, as a `dbt` process did) and runs no thread besides
its main one; before each fork, /proc/self says so, else the step runs as a plain `dbt`. So does
a step whose project or environment differs from what was parsed (dbtparse.project_state: the
project's files, the env vars they read, dbt's version), or whose arguments are not those of a
night's `dbt build`. Only `siyu run` starts this process; `siyu ui` and `siyu serve` runs start
`dbt` for every step, as before.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.dbt_client import EXIT, PID

# The flags of a night's dbt step (defs/dbt.py dbt_args, dagster-dbt's selection): anything else
# (--vars, --target, --selector...) could ask for another parse, and runs as a plain `dbt`.
FLAGS = {"--exclude-resource-type", "--indirect-selection", "--log-level-file", "--full-refresh",
         "--select", "--exclude"}


def serve(address: str, target: str, project_dir: str) -> None:
    """The warm process: parse into `target`, then one forked child per step until the process that
    started it ends."""
    from orchestration.dbtparse import project_state

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(4)  # clients queue while dbt parses
    parent = os.getppid()
    from dbt.cli.main import dbtRunner

    os.environ["DBT_TARGET_PATH"] = os.environ["DBT_LOG_PATH"] = target
    state = project_state(Path(project_dir))
    parsed = dbtRunner().invoke(["parse", "--quiet", "--log-level-file", "none", "--no-write-json"])
    manifest = parsed.result if parsed.success else None  # no manifest: every step runs `dbt`
    # dbt's children exit without Python's cleanup (os._exit): the semaphores dbt made in them are
    # reported as leaked when this process ends; they were the children's, and are gone with them.
    warnings.filterwarnings("ignore", message="resource_tracker")
    listener.settimeout(1.0)
    while os.getppid() == parent:  # `siyu run` ended (or died): so does this process
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        with conn:
            conn.settimeout(None)
            try:
                request = json.loads(conn.makefile("rb").readline() or b"{}")
            except ValueError:  # not a client's request: nothing to run
                continue
            if manifest is not None and servable(request, project_dir) and not inherited():
                _answer(conn, manifest, request, state, listener)


def servable(request: dict, project_dir: str) -> bool:
    """A night's `dbt build` in the project this process parsed."""
    args, env = request.get("args") or [""], request.get("env", {})
    same = {os.path.realpath(p) for p in (request.get("cwd", ""), env.get("DBT_PROJECT_DIR", project_dir),
                                          env.get("DBT_PROFILES_DIR", project_dir))}
    return (args[0] == "build" and all(a in FLAGS for a in args[1:] if a.startswith("-"))
            and same == {os.path.realpath(project_dir)})


def inherited() -> list[str]:
    """What a fork of this process would inherit and must not: threads besides the main one, open
    DuckDB files (without /proc to tell, it is not known: every step runs `dbt`)."""
    if not os.path.isdir("/proc/self/fd"):
        return ["no /proc/self to check"]
    found = [f"{n} threads" for n in [len(os.listdir("/proc/self/task"))] if n > 1]
    for fd in os.listdir("/proc/self/fd"):
        try:
            path = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if ".duckdb" in path:
            found.append(path)
    return found


def _answer(conn: socket.socket, manifest, request: dict, state: str, listener: socket.socket) -> None:
    pid = os.fork()
    if pid == 0:  # the step: dbt as a new `dbt` process would run it, output to the client
        code = 2
        try:
            listener.close()  # should this process die, the next step's client finds no one
            os.environ.clear()
            os.environ.update(request["env"])
            os.chdir(request["cwd"])
            from orchestration.dbtparse import project_state

            if project_state(Path(request["cwd"])) != state:  # changed since the parse: plain dbt
                os._exit(0)
            conn.sendall(PID + str(os.getpid()).encode() + b"\n")
            os.dup2(conn.fileno(), 1)
            os.dup2(conn.fileno(), 2)
            sys.stdout.reconfigure(line_buffering=True)
            code = _run(manifest, request["args"])
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    try:
        conn.sendall(EXIT + str(os.waitstatus_to_exitcode(status)).encode() + b"\n")
    except OSError:  # the client is gone (the step was stopped), or the step was not taken
        pass


def _run(manifest, args: list[str]) -> int:
    from dbt.artifacts.schemas.run import RunExecutionResult
    from dbt.cli.main import dbtRunner

    # Of the files dbt writes at the end of a build, dagster-dbt and `siyu doctor` read only
    # run_results.json: written here (dbt's own writer), not the 3.4 MB manifest.json again
    # (~1 s of CPU a step).
    result = dbtRunner(manifest=manifest).invoke([*args, "--no-write-json"])
    close_dbt_duckdb()
    if isinstance(result.result, RunExecutionResult):
        result.result.write(os.path.join(os.environ.get("DBT_TARGET_PATH", "target"), "run_results.json"))
    if result.success:
        return 0
    if result.exception is None:
        return 1  # a model, seed or test failed: dbt's ModelError
    print(f"dbt: {result.exception}", file=sys.stderr)
    return 2


def close_dbt_duckdb() -> None:
    """Close the warehouse dbt-duckdb leaves open after an invocation: DuckDB then checkpoints what the
    step wrote, with dbt's settings (profiles.yml: text not dict_fsst-compressed). A step's process
    ends with os._exit, so otherwise the write-ahead log stayed for the night's next connection to
    replay and write with its own settings (the small brand's dbt steps left 10 KB to 1.8 MB of it).
    bench/rfm_vs_pandas.py closes it too, so that its pandas side can open the file."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    # dbt has closed its cursors by now (the environment counts no handle) but leaves the database
    # open: closing it is enough, no garbage collection (0.14 s a step with the manifest in memory)
    if DuckDBConnectionManager._ENV is not None:
        DuckDBConnectionManager._ENV.close()
    DuckDBConnectionManager.close_all_connections()


@contextmanager
def warm_dbt(project_dir: Path, target_dir: Path) -> Iterator[str]:
    """Start the warm process for a night; yields the dbt executable for dagster-dbt (the client, as
    a script); stops the process and removes its files after the night."""
    root = str(Path(__file__).resolve().parent.parent)  # the folder `orchestration` is imported from
    dbt = str(Path(sys.executable).parent / "dbt")
    folder = Path(tempfile.mkdtemp(prefix="siyu-dbt-"))  # short: a socket's path is at most 107 bytes
    address = str(folder / "socket")
    target_dir.mkdir(parents=True, exist_ok=True)
    target = Path(tempfile.mkdtemp(prefix="siyu_warm_dbt-", dir=target_dir))
    if (target_dir / "partial_parse.msgpack").is_file():  # parse from what `siyu run` just parsed
        shutil.copy(target_dir / "partial_parse.msgpack", target)
    script = folder / "dbt"
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {root!r})\n"
                      f"from orchestration.dbt_client import client\nclient({address!r}, {dbt!r})\n")
    script.chmod(0o755)
    env = {**os.environ, "DBT_PROFILES_DIR": str(project_dir), "DBT_PROJECT_DIR": str(project_dir),
           "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    worker = subprocess.Popen([sys.executable, "-m", "orchestration.warm", address, str(target),
                               str(project_dir)],
                              cwd=project_dir, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):  # it listens within ~0.1 s; a client before that would run dbt itself
            if os.path.exists(address) or worker.poll() is not None:
                break
            time.sleep(0.025)
        yield str(script)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(target, ignore_errors=True)


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2], sys.argv[3])
