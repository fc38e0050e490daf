"""How a dbt step on Spark hands Spark's tables to the Python steps (engines/spark_dbt.py), without
Spark: folders laid out as Spark's managed tables are, written here by DuckDB."""

from __future__ import annotations

import duckdb

from engines.spark_dbt import built_without_files, mirror, spark_tables


def _spark_table(folder, rows: str) -> None:
    folder.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(f"copy ({rows}) to '{folder / 'part-00000.parquet'}' (format parquet)")
    (folder / "_SUCCESS").write_text("")  # Spark's marker beside its files


def test_tables_are_the_parquet_folders_of_dbts_schemas(tmp_path):
    _spark_table(tmp_path / "marts.db" / "user_assets", "select 1 as n")
    _spark_table(tmp_path / "intermediate.db" / "int_purchases", "select 2 as n")
    (tmp_path / "staging.db" / "stg_view_without_files").mkdir(parents=True)  # a view has none
    _spark_table(tmp_path / "raw.db" / "orders", "select 3 as n")  # a source: not dbt's schema
    assert spark_tables(tmp_path) == {
        ("intermediate", "int_purchases"): tmp_path / "intermediate.db" / "int_purchases",
        ("marts", "user_assets"): tmp_path / "marts.db" / "user_assets",
    }


def test_each_table_becomes_a_view_over_its_files_replacing_a_duckdb_table(tmp_path):
    _spark_table(tmp_path / "spark" / "marts.db" / "user_assets", "select 'c1' as customer_id")
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute("create schema marts")
        con.execute("create table marts.user_assets as select 'from a duckdb build' as customer_id")
        assert mirror(con, spark_tables(tmp_path / "spark")) == 1
        assert con.execute("select customer_id from marts.user_assets").fetchall() == [("c1",)]
        kind = con.execute("select table_type from information_schema.tables "
                           "where table_name = 'user_assets'").fetchall()
        assert kind == [("VIEW",)]
        # Spark rewrites its table: the view reads the new files
        (tmp_path / "spark" / "marts.db" / "user_assets" / "part-00000.parquet").unlink()
        con.execute(f"copy (select 'c2' as customer_id) to "
                    f"'{tmp_path / 'spark' / 'marts.db' / 'user_assets' / 'part-00001.parquet'}'")
        assert con.execute("select customer_id from marts.user_assets").fetchall() == [("c2",)]


def test_a_model_built_without_files_is_named(tmp_path):
    """A model Spark built as a view (no files) would be missing from the published copy."""
    from types import SimpleNamespace as Node

    def result(schema, alias, status="success", kind="model"):
        return Node(node=Node(schema=schema, alias=alias, resource_type=kind), status=status)

    tables = {("marts", "user_assets"): tmp_path}
    results = Node(results=[
        result("marts", "user_assets"), result("marts", "rfm_scores"),
        result("marts", "daily_kpis", status="error"),  # failed: dbt says so itself
        result("marts", "not_null_x", kind="test"),
    ])
    assert built_without_files(results, tables) == ["marts.rfm_scores"]
    assert built_without_files(None, tables) == []  # dbt stopped before running anything
