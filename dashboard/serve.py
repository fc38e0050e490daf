"""The command line that serves the dashboard: `streamlit run dashboard/app.py`, told which published
copy to read, with Streamlit's usage statistics off (set here, not in the user's ~/.streamlit)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from dashboard.published import ENV

APP = Path(__file__).with_name("app.py")
ROOT = APP.parent.parent  # the project, so `import dashboard` works in Streamlit's process


def streamlit_installed() -> bool:
    return importlib.util.find_spec("streamlit") is not None


def command(published: Path, port: int, address: str = "127.0.0.1") -> tuple[list[str], dict]:
    """(argv, environment) of the Streamlit server for `published`."""
    argv = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(port), "--server.address", address,
        "--server.headless", "true",  # no browser opened, no e-mail prompt on first start
        "--browser.gatherUsageStats", "false",  # no telemetry
        "--server.fileWatcherType", "none",  # an operator's server, not a development loop
        "--server.runOnSave", "false",
        "--client.toolbarMode", "viewer",  # no "Deploy" or "Stop" buttons: operators only read
    ]
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return argv, {**os.environ, ENV: str(Path(published).resolve()), "PYTHONPATH": path}
