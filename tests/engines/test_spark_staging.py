"""The staging layer on Spark gives DuckDB's rows (issue 16, docs/engines.md).

The brand of tests/engines/conftest.py (`spark_brand`): every staging table built on local Spark
(dbt-spark, session method) by `siyu run`'s pipeline from the Parquet copy of its sources, compared
with DuckDB's after normalising types (engines/compare.py). Minutes, not seconds: Spark starts a
JVM and runs each model as jobs of its own (~1-2 s each on 2 cores), hence `e2e`.
"""

from __future__ import annotations

import os

import duckdb
import pytest
from spark_brand import SKIP_WITHOUT_SPARK, spark_folder, tables

pytestmark = [pytest.mark.e2e, pytest.mark.spark_night, SKIP_WITHOUT_SPARK]

# A table per construct behind a macro (docs/engines.md): json_list, unnest_with_position, json_text,
# from_epoch_seconds, list_element, json_array_any_set, surrogate_key with to_epoch_ms, beijing_date
MACRO_TABLES = (
    "stg_douyin__order_lines", "stg_youzan__trade_lines", "stg_wecom__group_chat_members",
    "stg_wecom__external_contact_mobiles", "stg_douyin__orders", "stg_fission__invitations",
    "stg_oa__users", "stg_wecom__messages", "stg_tmall__trades", "stg_oa__events", "stg_mp__events",
)
# When the landing folder was loaded: each engine's night loaded it itself, seconds apart
LOAD_CLOCK = ("loaded_at",)


def _comparisons(spark_brand):
    from engines.compare import compare

    with duckdb.connect(str(spark_brand["warehouse"]), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        return [compare(con, f"staging.{t}", spark_folder(spark_brand, "staging", t), LOAD_CLOCK)
                for t in tables(spark_brand["warehouse"], "staging")]


def test_every_staging_model_is_built_on_spark(spark_brand):
    staging = tables(spark_brand["warehouse"], "staging")
    assert len(staging) == 38
    built = spark_folder(spark_brand, "staging")  # every staging model is a table on Spark
    assert sorted(p.name for p in built.iterdir()) == staging


def test_every_staging_table_has_duckdbs_rows(spark_brand):
    comparisons = _comparisons(spark_brand)
    different = [str(c) for c in comparisons if not c.equal]
    assert not different, "\n".join(different)
    # equal because filled, not because empty: the tables each engine macro shapes hold rows
    rows = {c.table.removeprefix("staging."): c.rows[0] for c in comparisons}
    empty = sorted(t for t in MACRO_TABLES if not rows[t])
    assert not empty, f"no rows to compare in {empty}"


def test_a_changed_value_is_a_difference(spark_brand, tmp_path):
    """The comparison sees one value changed in one row (a timestamp a microsecond later)."""
    from engines.compare import compare

    changed = tmp_path / "stg_mp__events"
    changed.mkdir()
    spark = spark_folder(spark_brand, "staging", "stg_mp__events")
    with duckdb.connect(str(spark_brand["warehouse"]), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(
            f"copy (select * replace (case when row_number() over (order by event_id) = 1 "
            f"then event_at + interval 1 microsecond else event_at end as event_at) "
            f"from read_parquet('{spark / '*.parquet'}')) "
            f"to '{changed / 'data.parquet'}' (format parquet)"
        )
        comparison = compare(con, "staging.stg_mp__events", changed, LOAD_CLOCK)
    assert comparison.rows[0] == comparison.rows[1] > 0
    assert not comparison.equal
    assert len(comparison.only_here) == len(comparison.only_there) == 1


def test_spark_writes_nothing_in_the_working_directory(spark_brand):
    assert not spark_brand["strays"], f"left in {os.getcwd()}: {spark_brand['strays']}"
    spark = spark_brand["spark_warehouse"].parent / "spark"  # beside the DuckDB file (profiles.yml)
    assert (spark / "metastore_db").is_dir() and (spark / "derby.log").is_file()
    assert (spark / "warehouse" / "staging.db").is_dir()
