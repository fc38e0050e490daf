"""The brand the Spark tests share (tests/engines/conftest.py, `spark_brand`): what it is, what is
built on Spark and how, and the table lists both Spark modules compare."""

from __future__ import annotations

import importlib.util
import json
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

SPARK_MISSING = [
    what
    for what, present in (
        ("pyspark", importlib.util.find_spec("pyspark")),
        ("dbt-spark", importlib.util.find_spec("dbt.adapters.spark")),
        ("java", shutil.which("java")),
    )
    if not present
]
SKIP_WITHOUT_SPARK = pytest.mark.skipif(
    bool(SPARK_MISSING),
    reason=f"Spark is not installed here ({', '.join(SPARK_MISSING)} missing): pip install -e '.[spark]' "
    "and Java 17",
)

BRAND = {"customers": 300, "days": 10, "seed": 16, "end_date": date(2026, 10, 31)}
SALT = "engines-test-salt-of-thirty-two-bytes-or-more"  # the settings refuse a salt under 32 bytes
# Intermediate models and marts not built on Spark yet, each with why (docs/engines.md): none left
NOT_ON_SPARK: dict[str, str] = {}
# What Spark or Derby leave in the working directory when not told where to write
STRAYS = ("metastore_db", "derby.log", "spark-warehouse")




def build(root: Path) -> dict:
    """The brand on both engines under `root`: DuckDB warehouse, Spark's Parquet folders per schema
    (`parquet/<schema>/<model>`), and what Spark left in the working directory."""
    from dagster import DagsterInstance

    from engines.raw_parquet import declare, export
    from engines.spark import dbt_on_spark
    from orchestration.pipeline import run_pipeline
    from orchestration.settings import Settings
    from simulator import simulate

    strays_before = {name for name in STRAYS if Path(name).exists()}
    seconds = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIYU_LANDING_DIR", str(root / "landing"))
        mp.setenv("SIYU_WAREHOUSE", str(root / "warehouse.duckdb"))
        mp.setenv("SIYU_PHONE_SALT", SALT)
        mp.delenv("SIYU_PUBLISHED", raising=False)
        mp.delenv("SIYU_SPARK_DIR", raising=False)
        mp.delenv("SIYU_ENGINE", raising=False)
        started = time.monotonic()
        simulate(root / "landing", **BRAND)
        settings = Settings.from_env()
        settings.export()
        with DagsterInstance.ephemeral() as instance:
            assert run_pipeline(settings, instance=instance).ok
        seconds["duckdb pipeline"] = time.monotonic() - started

        started = time.monotonic()
        export(settings.warehouse, root / "parquet")
        on_spark = {schema: [t for t in tables(settings.warehouse, schema) if t not in NOT_ON_SPARK]
                    for schema in ("staging", "intermediate", "marts")}
        excluded = ["--exclude", *NOT_ON_SPARK] if NOT_ON_SPARK else []
        written = [
            ["run-operation", "write_models_parquet", "--args", json.dumps(
                {"schema": schema, "folder": str(root / "spark" / "parquet" / schema), "names": names})]
            for schema, names in on_spark.items()
        ]
        dbt_on_spark(
            declare(root / "parquet"),
            ["seed"],
            ["run", "--select", "staging", "intermediate", "marts", *excluded],
            *written,
        )
        seconds["spark"] = time.monotonic() - started
    print(f"\nseconds: {', '.join(f'{k} {v:.0f}' for k, v in seconds.items())}")
    strays = {name for name in STRAYS if Path(name).exists()} - strays_before
    return {"root": root, "warehouse": settings.warehouse, "parquet": root / "spark" / "parquet",
            "strays": strays, "seconds": seconds}


def tables(warehouse: Path, schema: str) -> list[str]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
        ).fetchall()]


def spark_relation(brand: dict, schema: str, table: str) -> str:
    """The Parquet copy Spark wrote of `schema.table`, as a DuckDB relation."""
    return f"read_parquet('{brand['parquet'] / schema / table / '*.parquet'}')"


def differences_from_duckdb(con, brand: dict, schema: str, skip=(), engine_named=()) -> list[str]:
    """Every table of `schema` (but `skip`) that Spark built unlike DuckDB (engines/compare.py)."""
    from engines.compare import compare

    comparisons = [compare(con, f"{schema}.{t}", brand["parquet"] / schema / t, engine_named)
                   for t in tables(brand["warehouse"], schema) if t not in skip]
    return [str(c) for c in comparisons if not c.equal]


def without_decided_rows(con, brand: dict, schema: str, decided: dict[str, str]) -> list[str]:
    """The tables whose Spark copy holds no row matching its condition (the rows a macro decides)."""
    return sorted(t for t, rows in decided.items() if not con.execute(
        f"select count(*) from {spark_relation(brand, schema, t)} where {rows}").fetchone()[0])
