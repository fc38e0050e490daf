"""dbt's manifest, parsed only when the project (or what its parse reads) changed.

The dbt assets are built from target/manifest.json, and every dbt invocation of a night starts from
target/partial_parse.msgpack. `dbt parse` is a subprocess costing 4-10 s of CPU (a full parse: dbt
re-parses everything when an env var its profile reads changes, e.g. another SIYU_WAREHOUSE). When
neither the project's files, nor the env vars they read, nor dbt's version changed since the last
parse, both files are current and the parse is skipped. The state is a hash kept beside them in
target/siyu_parse_state.txt (values of env vars are hashed, never written).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, DBT_TARGET_DIR, ConfigError

TARGET = DBT_TARGET_DIR
STATE = TARGET / "siyu_parse_state.txt"
# Folders dbt writes or installs into: not the project's own files.
NOT_PROJECT = {"target", "logs", "dbt_packages"}
ENV_VAR = re.compile(rb"""env_var\(\s*['"]([A-Za-z0-9_]+)['"]""")


def project_state(project_dir: Path = DBT_PROJECT_DIR) -> str:
    """A hash of every project file (path and bytes), the env vars they read and dbt's versions."""
    digest = hashlib.sha256()
    names: set[str] = set()
    for path in sorted(_project_files(project_dir)):
        rel = path.relative_to(project_dir)
        data = path.read_bytes()
        names.update(m.decode() for m in ENV_VAR.findall(data))
        digest.update(f"{rel.as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    for name in sorted(names):
        digest.update(f"{name}={os.environ.get(name)!r}\0".encode())
    digest.update(f"dbt-core {version('dbt-core')} dbt-duckdb {version('dbt-duckdb')}".encode())
    return digest.hexdigest()


def _project_files(project_dir: Path) -> list[Path]:
    """Every file of the project but dot-files, not descending into dbt's own folders (target/ holds
    each dbt step's artefacts, ~20,000 files after a week of nights)."""
    out = []
    for folder, subfolders, files in os.walk(project_dir):
        if Path(folder) == project_dir:
            subfolders[:] = [d for d in subfolders if d not in NOT_PROJECT]
        out.extend(Path(folder) / name for name in files if not name.startswith("."))
    return out


def parse_dbt_project() -> bool:
    """Write dbt's manifest unless it is current; True when dbt parsed. In a subprocess: dbt
    configures Python logging globally, which would double every Dagster log line in this process."""
    state = project_state()
    current = (TARGET / "manifest.json").is_file() and (TARGET / "partial_parse.msgpack").is_file()
    if current and STATE.is_file() and STATE.read_text() == state:
        return False
    cmd = [str(Path(sys.executable).parent / "dbt"), "parse", "--quiet",
           "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        STATE.unlink(missing_ok=True)
        raise ConfigError(f"dbt parse failed:\n{result.stdout}{result.stderr}")
    STATE.write_text(state)
    return True
