"""`siyu run` on Spark publishes DuckDB's marts (issue 16, item 4; docs/engines.md).

The brand of tests/engines/conftest.py (`spark_brand`): one landing folder through the same Dagster
job (orchestration/pipeline.py) twice, on DuckDB and with SIYU_ENGINE=spark. On Spark the loader
still writes its DuckDB raw layer, the dbt steps (their tests included) run on Spark and the Python
steps (identity, CLV, guide exports, publishing) read Spark's tables (engines/spark_dbt.py). Every
table of the two published copies is compared after normalising types (engines/compare.py).
"""

from __future__ import annotations

import duckdb
import pytest
from spark_brand import SKIP_WITHOUT_SPARK, night_test_results

from engines.compare import compare

pytestmark = [pytest.mark.e2e, pytest.mark.spark_night, SKIP_WITHOUT_SPARK]


def _published_marts(con, catalog: str) -> list[str]:
    return [t for (t,) in con.execute(
        "select table_name from information_schema.tables where table_catalog = ? "
        "and table_schema = 'marts' order by 1", [catalog]).fetchall()]


def test_the_published_marts_of_a_spark_night_are_duckdbs(spark_brand):
    with duckdb.connect(str(spark_brand["published"]), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{spark_brand['spark_published']}' as on_spark (read_only)")
        marts = _published_marts(con, con.execute("select current_database()").fetchone()[0])
        assert len(marts) == 23
        assert _published_marts(con, "on_spark") == marts
        comparisons = [compare(con, f"marts.{t}", f"on_spark.marts.{t}") for t in marts]
        different = [str(c) for c in comparisons if not c.equal]
        assert not different, "\n".join(different)
        rows = {c.table.removeprefix("marts."): c.rows[0] for c in comparisons}
    # equal because filled: the identity step's output (keyed hashes of identifiers included), the
    # marts read through it and the CLV step's calibration row
    assert rows["user_assets"] > 100 and rows["identity_map"] > rows["user_assets"]
    assert rows["clv_calibration"] == 1 and rows["daily_kpis"] > 0


def test_the_spark_nights_marts_are_sparks_tables(spark_brand):
    """What was published on Spark was read from Spark's files, not from a DuckDB build: the Spark
    night's DuckDB file holds every dbt model as a view over Spark's Parquet, no dbt table."""
    with duckdb.connect(str(spark_brand["spark_warehouse"]), read_only=True) as con:
        kinds = dict(con.execute(
            "select table_type, count(*) from information_schema.tables "
            "where table_schema in ('seeds', 'staging', 'intermediate', 'marts') group by 1").fetchall())
        sources = con.execute(
            "select count(*) from duckdb_views() where schema_name = 'marts' "
            "and sql like '%read_parquet(%/spark/warehouse/marts.db/%'").fetchone()[0]
    assert set(kinds) == {"VIEW"} and kinds["VIEW"] == 8 + 38 + 66 + 23  # seeds, staging, intermediate, marts
    assert sources == 23


def test_the_spark_nights_dbt_tests_ran_on_spark_and_passed(spark_brand):
    """The quality gates: every dbt data test of the night ran (on Spark) and passed — the same tests
    as the DuckDB night of the same landing ran."""
    on_spark = night_test_results(spark_brand["spark_warehouse"])
    on_duckdb = night_test_results(spark_brand["warehouse"])
    assert len(on_duckdb) > 200
    assert sorted(r["unique_id"] for r in on_spark) == sorted(r["unique_id"] for r in on_duckdb)
    assert {r["status"] for r in on_spark} == {"pass"}


def test_the_guides_task_lists_are_duckdbs(spark_brand):
    """The guide exports (a Python step reading Spark's intermediate and staging tables)."""
    def lists(warehouse):
        root = warehouse.parent / "exports" / "guides"
        return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(root.rglob("*.csv"))}

    on_duckdb, on_spark = lists(spark_brand["warehouse"]), lists(spark_brand["spark_warehouse"])
    assert on_duckdb and on_spark == on_duckdb
