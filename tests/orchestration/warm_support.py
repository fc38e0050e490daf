"""Shared by the warm dbt process's tests (no tests here): a one-model dbt project on a DuckDB file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

DBT = str(Path(sys.executable).parent / "dbt")


def tiny_project(tmp_path: Path) -> tuple[Path, dict, Path]:
    """Model `numbers` (a unique and a not_null test) over raw.numbers = (1), (2), parsed once (as
    `siyu run` does); its folder, the environment a step runs in, the warehouse."""
    root = tmp_path / "project"
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text(
        "name: tiny\nversion: '1.0'\nconfig-version: 2\nprofile: tiny\nmodel-paths: [models]\n"
    )
    (root / "profiles.yml").write_text(
        "tiny:\n  target: t\n  outputs:\n    t:\n      type: duckdb\n"
        "      path: \"{{ env_var('TINY_WAREHOUSE') }}\"\n      threads: 1\n"
    )
    (root / "models" / "numbers.sql").write_text("select n from {{ source('raw', 'numbers') }}\n")
    (root / "models" / "_models.yml").write_text(
        "version: 2\nsources:\n  - name: raw\n    schema: raw\n    tables: [{name: numbers}]\n"
        "models:\n  - name: numbers\n    columns:\n      - name: n\n        data_tests: [unique, not_null]\n"
    )
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create schema raw")
        con.execute("create table raw.numbers as select * from (values (1), (2)) t(n)")
    env = {**os.environ, "TINY_WAREHOUSE": str(tmp_path / "w.duckdb"), "DBT_PROFILES_DIR": str(root),
           "DBT_PROJECT_DIR": str(root), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_LOG_FORMAT": "json",
           # its own target/, whatever the suite's (tests/conftest.py gives each xdist worker one)
           "DBT_TARGET_PATH": str(root / "target")}
    subprocess.run([DBT, "parse", "--quiet"], cwd=root, env=env, check=True)
    return root, env, tmp_path / "w.duckdb"
