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


def night_test_results(warehouse: Path) -> list[dict]:
    """The dbt data tests a night over `warehouse` ran, as its kept run results record them."""
    kept = sorted((warehouse.parent / "logs" / "dbt").glob("*.json"))
    return [r for path in kept for r in json.loads(path.read_text())["results"]
            if r["unique_id"].startswith("test.")]




def build(root: Path) -> dict:
    """The brand's landing folder run by `siyu run`'s pipeline twice: on DuckDB (`root/warehouse.duckdb`,
    its published copy beside it) and on Spark (SIYU_ENGINE=spark, all under `root/spark_run/`: its
    own DuckDB file for the raw layer and the Python steps, Spark's metastore and table files in
    `root/spark_run/spark/`); and what Spark left in the working directory."""
    from dagster import DagsterInstance

    from orchestration.pipeline import run_pipeline
    from orchestration.settings import Settings
    from simulator import simulate

    strays_before = {name for name in STRAYS if Path(name).exists()}
    seconds, nights = {}, {}
    simulate(root / "landing", **BRAND)
    for engine, folder in (("duckdb", root), ("spark", root / "spark_run")):
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("SIYU_LANDING_DIR", str(root / "landing"))
            mp.setenv("SIYU_WAREHOUSE", str(folder / "warehouse.duckdb"))
            mp.setenv("SIYU_PHONE_SALT", SALT)
            mp.setenv("SIYU_ENGINE", engine)
            mp.delenv("SIYU_PUBLISHED", raising=False)
            mp.delenv("SIYU_SPARK_DIR", raising=False)
            started = time.monotonic()
            settings = Settings.from_env()
            settings.export()
            with DagsterInstance.ephemeral() as instance:
                assert run_pipeline(settings, instance=instance).ok, f"the night on {engine} failed"
            seconds[f"{engine} pipeline"] = time.monotonic() - started
            nights[engine] = settings
    print(f"\nseconds: {', '.join(f'{k} {v:.0f}' for k, v in seconds.items())}")
    strays = {name for name in STRAYS if Path(name).exists()} - strays_before
    spark = nights["spark"]
    return {"root": root, "warehouse": nights["duckdb"].warehouse, "published": nights["duckdb"].published,
            "spark_warehouse": spark.warehouse, "spark_published": spark.published,
            "spark_tables": spark.warehouse.parent / "spark" / "warehouse",
            "strays": strays, "seconds": seconds}


def spark_folder(brand: dict, schema: str, table: str | None = None) -> Path:
    """The Parquet files of Spark's table `schema.table` (its managed tables, profiles.yml), or
    the folder of the schema's tables."""
    folder = brand["spark_tables"] / f"{schema}.db"
    return folder / table if table else folder


def tables(warehouse: Path, schema: str) -> list[str]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
        ).fetchall()]


def spark_relation(brand: dict, schema: str, table: str) -> str:
    """Spark's table `schema.table`, as a DuckDB relation."""
    return f"read_parquet('{spark_folder(brand, schema, table) / '*.parquet'}')"


def differences_from_duckdb(con, brand: dict, schema: str, skip=(), engine_named=()) -> list[str]:
    """Every table of `schema` (but `skip`) that Spark built unlike DuckDB (engines/compare.py),
    leaving out the `engine_named` columns."""
    from engines.compare import compare

    comparisons = [compare(con, f"{schema}.{t}", spark_folder(brand, schema, t), engine_named)
                   for t in tables(brand["warehouse"], schema) if t not in skip]
    return [str(c) for c in comparisons if not c.equal]


def without_decided_rows(con, brand: dict, schema: str, decided: dict[str, str]) -> list[str]:
    """The tables whose Spark copy holds no row matching its condition (the rows a macro decides)."""
    return sorted(t for t, rows in decided.items() if not con.execute(
        f"select count(*) from {spark_relation(brand, schema, t)} where {rows}").fetchone()[0])
