"""dbt on the Spark target (SIYU_ENGINE=spark, docs/engines.md), from Python.

    python -m engines.spark '[["run-operation", "declare_parquet_sources", ...], ["run", ...]]'
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence

from orchestration.settings import DBT_PROJECT_DIR, spark_dir


def dbt_on_spark(*commands: Sequence[str]) -> str:
    """dbt `commands` (each a list of arguments) with SIYU_ENGINE=spark, one after another in one
    process, so one Spark session serves them all: starting one (a JVM and its Hive metastore) is
    ~30 s on 2 busy cores, dbt's own start ~15 s more. Its target and log folders are in Spark's
    folder, so a Spark manifest never replaces the DuckDB one the Dagster definitions load.
    Returns the output, or raises RuntimeError with it."""
    folder = spark_dir()
    env = {**os.environ, "SIYU_ENGINE": "spark", "DBT_TARGET_PATH": str(folder / "dbt_target"),
           "DBT_LOG_PATH": str(folder / "dbt_logs")}
    cmd = [sys.executable, "-m", "engines.spark", json.dumps([list(c) for c in commands])]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"dbt on Spark failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def main(commands: list[list[str]]) -> None:
    from dbt.cli.main import dbtRunner

    runner = dbtRunner()
    for args in commands:
        outcome = runner.invoke([*args, "--project-dir", str(DBT_PROJECT_DIR),
                                 "--profiles-dir", str(DBT_PROJECT_DIR)])
        if not outcome.success:
            raise SystemExit(f"dbt {' '.join(args)}: failed ({outcome.exception or 'see above'})")


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
