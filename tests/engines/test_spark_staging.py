"""The staging layer on Spark gives DuckDB's rows (issue 16, docs/engines.md).

One small simulated brand runs through the DuckDB pipeline; its source tables are copied to Parquet
(engines/raw_parquet.py), the staging layer is built from them on local Spark (dbt-spark, session
method), written back to Parquet, and every staging table is compared with DuckDB's after
normalising types (engines/compare.py). Minutes, not seconds: Spark starts a JVM per dbt command and
runs each model as jobs of its own (~1-2 s each on 2 cores), hence `e2e`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import time
from datetime import date
from pathlib import Path

import duckdb
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

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        bool(SPARK_MISSING),
        reason=f"Spark is not installed here ({', '.join(SPARK_MISSING)} missing): pip install -e '.[spark]' "
        "and Java 17",
    ),
]

BRAND = {"customers": 300, "days": 10, "seed": 16, "end_date": date(2026, 10, 31)}
SALT = "engines-test-salt"
# A table per construct behind a macro (docs/engines.md): json_list, unnest_with_position, json_text,
# from_epoch_seconds, list_element, json_array_any_set, surrogate_key with to_epoch_ms, beijing_date
MACRO_TABLES = (
    "stg_douyin__order_lines", "stg_youzan__trade_lines", "stg_wecom__group_chat_members",
    "stg_wecom__external_contact_mobiles", "stg_douyin__orders", "stg_fission__invitations",
    "stg_oa__users", "stg_wecom__messages", "stg_tmall__trades", "stg_oa__events", "stg_mp__events",
)
# What Spark or Derby leave in the working directory when not told where to write
STRAYS = ("metastore_db", "derby.log", "spark-warehouse")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The brand's staging layer on both engines: (DuckDB warehouse, Spark's Parquet folder, timings)."""
    from dagster import DagsterInstance

    from engines.raw_parquet import declare, export
    from engines.spark import dbt_on_spark
    from orchestration.pipeline import run_pipeline
    from orchestration.settings import Settings
    from simulator import simulate

    root = tmp_path_factory.mktemp("spark_staging")
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
        dbt_on_spark(
            declare(root / "parquet"),
            ["run", "--select", "staging"],
            ["run-operation", "write_models_parquet", "--args",
             json.dumps({"schema": "staging", "folder": str(root / "spark_staging")})],
        )
        seconds["spark staging"] = time.monotonic() - started
    print(f"\nseconds: {', '.join(f'{k} {v:.0f}' for k, v in seconds.items())}")
    strays = {name for name in STRAYS if Path(name).exists()} - strays_before
    return {"root": root, "warehouse": settings.warehouse, "spark": root / "spark_staging",
            "strays": strays}


def _staging_tables(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'staging' order by 1"
        ).fetchall()]


def _comparisons(built):
    from engines.compare import compare

    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        return [compare(con, f"staging.{t}", built["spark"] / t) for t in _staging_tables(built["warehouse"])]


def test_every_staging_model_is_built_on_spark(built):
    tables = _staging_tables(built["warehouse"])
    assert len(tables) == 36
    assert sorted(p.name for p in built["spark"].iterdir()) == tables


def test_every_staging_table_has_duckdbs_rows(built):
    comparisons = _comparisons(built)
    different = [str(c) for c in comparisons if not c.equal]
    assert not different, "\n".join(different)
    # equal because filled, not because empty: the tables each engine macro shapes hold rows
    rows = {c.table.removeprefix("staging."): c.rows[0] for c in comparisons}
    empty = sorted(t for t in MACRO_TABLES if not rows[t])
    assert not empty, f"no rows to compare in {empty}"


def test_a_changed_value_is_a_difference(built, tmp_path):
    """The comparison sees one value changed in one row (a timestamp a microsecond later)."""
    from engines.compare import compare

    changed = tmp_path / "stg_mp__events"
    changed.mkdir()
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(
            f"copy (select * replace (case when row_number() over (order by event_id) = 1 "
            f"then event_at + interval 1 microsecond else event_at end as event_at) "
            f"from read_parquet('{built['spark'] / 'stg_mp__events' / '*.parquet'}')) "
            f"to '{changed / 'data.parquet'}' (format parquet)"
        )
        comparison = compare(con, "staging.stg_mp__events", changed)
    assert comparison.rows[0] == comparison.rows[1] > 0
    assert not comparison.equal
    assert len(comparison.only_here) == len(comparison.only_there) == 1


def test_spark_writes_nothing_in_the_working_directory(built):
    assert not built["strays"], f"left in {os.getcwd()}: {built['strays']}"
    spark = built["root"] / "spark"  # beside the DuckDB file (profiles.yml)
    assert (spark / "metastore_db").is_dir() and (spark / "derby.log").is_file()
    assert (spark / "warehouse" / "staging.db").is_dir()
