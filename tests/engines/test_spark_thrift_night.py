"""`siyu run` against a Spark Thrift server publishes DuckDB's marts (issue 16; docs/spark_cluster.md).

A cluster's Thrift server (HiveServer2) is what EMR, CDP or Kyuubi offer; here Spark's own, started
on this machine by engines/thrift_server.py with its warehouse in the folder `siyu run` shares with
it (SIYU_SPARK_DIR). The shared brand's landing (spark_brand.BRAND) runs through the same pipeline
on DuckDB and with SIYU_ENGINE=spark_thrift: the dbt steps, their tests included, run on the server
through the profile's `spark_thrift` output; the Python steps read the server's tables from the
shared folder. Every published mart is compared with DuckDB's (engines/compare.py).
"""

from __future__ import annotations

import importlib.util

import duckdb
import pytest
from spark_brand import BRAND, SALT, SKIP_WITHOUT_SPARK, night_test_results

from engines.compare import compare

pytestmark = [
    pytest.mark.e2e, pytest.mark.spark_night, SKIP_WITHOUT_SPARK,
    pytest.mark.skipif(not importlib.util.find_spec("pyhive"),
                       reason="PyHive is not installed here: pip install -e '.[cluster]'"),
]


def _night(root, landing, engine: str, extra: dict[str, str]):
    from dagster import DagsterInstance

    from orchestration.pipeline import run_pipeline
    from orchestration.settings import Settings

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIYU_LANDING_DIR", str(landing))
        mp.setenv("SIYU_WAREHOUSE", str(root / "warehouse.duckdb"))
        mp.setenv("SIYU_PHONE_SALT", SALT)
        mp.setenv("SIYU_ENGINE", engine)
        mp.delenv("SIYU_PUBLISHED", raising=False)
        mp.delenv("SIYU_SPARK_SHARED_URL", raising=False)
        for name, value in extra.items():
            mp.setenv(name, value)
        settings = Settings.from_env()
        settings.export()
        with DagsterInstance.ephemeral() as instance:
            assert run_pipeline(settings, instance=instance).ok, f"the night on {engine} failed"
    return settings


@pytest.fixture(scope="module")
def thrift_brand(tmp_path_factory):
    from engines.thrift_server import running
    from simulator import simulate

    root = tmp_path_factory.mktemp("thrift_brand")
    simulate(root / "landing", **BRAND)
    duck = _night(root / "duckdb", root / "landing", "duckdb", {})
    spark_dir = root / "thrift_run" / "spark"
    with running(spark_dir) as port:
        thrift = _night(root / "thrift_run", root / "landing", "spark_thrift",
                        {"SIYU_SPARK_DIR": str(spark_dir), "SIYU_SPARK_PORT": str(port)})
    return {"duckdb": duck, "thrift": thrift, "spark_dir": spark_dir}


def test_a_thrift_servers_night_publishes_duckdbs_marts(thrift_brand):
    duck, thrift = thrift_brand["duckdb"], thrift_brand["thrift"]
    with duckdb.connect(str(duck.published), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{thrift.published}' as on_server (read_only)")
        marts = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_catalog = current_database() order by 1").fetchall()]
        assert len(marts) == 23
        comparisons = [compare(con, f"marts.{t}", f"on_server.marts.{t}") for t in marts]
        different = [str(c) for c in comparisons if not c.equal]
        assert not different, "\n".join(different)
        rows = {c.table.removeprefix("marts."): c.rows[0] for c in comparisons}
    assert rows["user_assets"] > 100 and rows["identity_map"] > rows["user_assets"]


def test_the_server_built_the_models_and_ran_the_tests(thrift_brand):
    """What was published came from the server's tables (in the shared folder), and every dbt data
    test of the night ran there and passed."""
    with duckdb.connect(str(thrift_brand["thrift"].warehouse), read_only=True) as con:
        over_server_files = con.execute(
            "select count(*) from duckdb_views() where schema_name = 'marts' and sql like ?",
            [f"%read_parquet(%{thrift_brand['spark_dir']}/warehouse/marts.db/%"]).fetchone()[0]
    assert over_server_files == 23
    on_server = night_test_results(thrift_brand["thrift"].warehouse)
    on_duckdb = night_test_results(thrift_brand["duckdb"].warehouse)
    assert len(on_duckdb) > 200
    assert sorted(r["unique_id"] for r in on_server) == sorted(r["unique_id"] for r in on_duckdb)
    assert {r["status"] for r in on_server} == {"pass"}
