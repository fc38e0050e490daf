"""Prove the Superset bundle on a real Superset: install it, import the bundle, ask for every chart.

`make superset-check` runs this. Everything it writes is under var/superset/: Superset in its own
virtualenv (venv/, ~900 MB, about 4 min the first time; never the pipeline's .venv), its home and
SQLite metadata (home/), a generated SECRET_KEY and admin password (secrets.json, mode 600, kept so
a second run reuses the metadata), the built bundle and the log of every Superset command (logs/).
Then a Superset web server on a free local port: log in, import the bundle through
POST /api/v1/dashboard/import/, and for each chart of the dashboard GET /api/v1/chart/<id>/data/,
which runs the chart's saved query on the published copy. It fails unless every chart returns rows.

The published copy is $SIYU_PUBLISHED, else the demo's var/demo/warehouse.published.duckdb
(`make demo` writes it).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api import Superset, SupersetError  # noqa: E402
from verify import DASHBOARD_SLUG, charts_return_rows  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VAR = REPO / "var" / "superset"
VENV = VAR / "venv"
REQUIREMENTS = HERE / "requirements.txt"
ADMIN = "admin"


def step(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:6.1f}s] {message}", flush=True)


def run(command: list[str], log: Path, env: dict[str, str] | None = None) -> None:
    """Run a command, its output appended to the log; on failure, show the log's end."""
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"{command[0]} failed ({done.returncode}); the end of {log}:\n{tail}")


def install(log: Path) -> None:
    """Superset into var/superset/venv. pip runs every time (a few seconds when nothing is
    missing), so a package removed by hand, or a changed requirements.txt, is put right."""
    python = VENV / "bin" / "python"
    if not python.exists():
        run([sys.executable, "-m", "venv", str(VENV)], log)
        run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], log)
    run([str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], log)


def secrets_file() -> dict[str, str]:
    """A strong SECRET_KEY and admin password, generated once and kept out of the repository."""
    path = VAR / "secrets.json"
    if not path.exists():
        values = {"secret_key": secrets.token_urlsafe(48), "admin_password": secrets.token_urlsafe(24)}
        path.touch(mode=0o600)
        path.write_text(json.dumps(values), encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


def superset_env(secret_key: str) -> dict[str, str]:
    home = VAR / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SUPERSET_CONFIG_PATH")}
    env.update(SUPERSET_HOME=str(home), SUPERSET_SECRET_KEY=secret_key, DO_NOT_TRACK="1",
               SUPERSET_LOAD_EXAMPLES="no")
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def published_copy() -> Path:
    path = Path(os.environ.get("SIYU_PUBLISHED") or REPO / "var" / "demo" / "warehouse.published.duckdb")
    if not path.is_file():
        raise SystemExit(f"no published copy at {path}: run `make demo` (or set SIYU_PUBLISHED)")
    return path.resolve()


def prepare(log: Path, env: dict[str, str], password: str) -> None:
    """A new metadata database each run: the import is proved as a new user's, and a chart
    changed in the bundle is not hidden by last run's (a dashboard import keeps existing charts)."""
    (VAR / "home" / "superset.db").unlink(missing_ok=True)
    superset = str(VENV / "bin" / "superset")
    run([superset, "db", "upgrade"], log, env)
    run([superset, "fab", "create-admin", "--username", ADMIN, "--firstname", "Siyu",
         "--lastname", "Check", "--email", "admin@localhost", "--password", password], log, env)
    run([superset, "init"], log, env)


def draw_in_a_browser(url: str, env: dict[str, str]) -> None:
    """The dashboard in headless Chromium (screenshot.py), when Debian's chromium and
    chromium-driver are installed: the API runs saved queries, the browser draws from form data."""
    if not all(Path(p).exists() for p in ("/usr/bin/chromium", "/usr/bin/chromedriver")):
        print("  no /usr/bin/chromium and /usr/bin/chromedriver: the dashboard was not drawn "
              "(apt-get install chromium chromium-driver to have it drawn)")
        return
    out = VAR / "dashboard.png"
    command = [str(VENV / "bin" / "python"), str(HERE / "screenshot.py"), url,
               str(VAR / "secrets.json"), str(out)]
    done = subprocess.run(command, env={**env, "SE_AVOID_STATS": "true"}, text=True,
                          capture_output=True)
    print("  " + (done.stdout.strip() or done.stderr.strip()[-2000:]), flush=True)
    if done.returncode != 0:
        raise SystemExit(f"the dashboard did not draw in Chromium: see {out}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true",
                        help="keep Superset running afterwards (until Ctrl-C), to look at it")
    parser.add_argument("--port", type=int, default=0, help="its port (default: a free one)")
    args = parser.parse_args(argv)
    # stopped by a signal (a timeout, kill), still stop the web server it started: see finally
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    published = published_copy()
    (VAR / "logs").mkdir(parents=True, exist_ok=True)
    log = VAR / "logs" / f"check-{time.strftime('%Y%m%d-%H%M%S')}.log"
    step(f"published copy: {published}; every Superset line: {log}", started)
    install(log)
    step(f"Superset 6.1 and duckdb-engine in {VENV}", started)
    values = secrets_file()
    env = superset_env(values["secret_key"])
    prepare(log, env, values["admin_password"])
    step("new metadata database upgraded, admin created, roles initialised", started)
    python = VENV / "bin" / "python"
    bundle = VAR / "siyu_superset_bundle.zip"
    run([str(python), str(HERE / "build.py"), "--published", str(published), "--out", str(bundle)],
        log, env)
    charts_in_bundle = len(list((HERE / "bundle" / "charts").glob("*.yaml")))
    port = args.port or free_port()
    with log.open("a", encoding="utf-8") as out:
        server = subprocess.Popen(
            [str(VENV / "bin" / "superset"), "run", "-h", "127.0.0.1", "-p", str(port),
             "--with-threads"],
            stdout=out, stderr=subprocess.STDOUT, env=env,
        )
    try:
        client = Superset(f"http://127.0.0.1:{port}")
        client.wait_healthy(300)
        step(f"Superset answering on http://127.0.0.1:{port}", started)
        client.login(ADMIN, values["admin_password"])
        client.import_dashboards(bundle)
        step(f"bundle imported through POST /api/v1/dashboard/import/: {bundle}", started)
        found = charts_return_rows(client, charts_in_bundle, python, published)
        step(f"{len(found)} of {charts_in_bundle} charts returned rows from the published copy",
             started)
        draw_in_a_browser(f"http://127.0.0.1:{port}/superset/dashboard/{DASHBOARD_SLUG}/", env)
        step("dashboard drawn in headless Chromium", started)
        if args.serve:
            print(f"http://127.0.0.1:{port}/superset/dashboard/{DASHBOARD_SLUG}/ — user {ADMIN}, "
                  f"password in {VAR / 'secrets.json'}; Ctrl-C stops it", flush=True)
            server.wait()
    except SupersetError as error:
        raise SystemExit(str(error)) from None
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
