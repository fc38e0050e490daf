"""Spark reads engines/raw_layer.py's folders as they are: a table declared over them as
dbt_project/macros/engine/parquet_sources.sql declares it (its columns, partitioned by business
date, the file system as its partition list) gives DuckDB's raw rows, a business date included, and
sees a partition a later sync adds without being declared again. ~40 s at a load average of 5 (95 s
at 10), most of it Spark's start: marked `build`, as the Spark components test."""

from __future__ import annotations

import pytest
from spark_brand import SKIP_WITHOUT_SPARK
from test_raw_layer import D1, D2, deliver, member, night, raw_rows

from engines.raw_layer import sync

pytestmark = [pytest.mark.build, SKIP_WITHOUT_SPARK]  # Spark's start: as the components test


def test_spark_reads_the_partitioned_layer_and_its_new_days(tmp_path):
    sql = pytest.importorskip("pyspark.sql")
    landing, warehouse, folder = tmp_path / "landing", tmp_path / "warehouse.duckdb", tmp_path / "parquet"
    deliver(landing, D1, member(1), member(2))
    night(warehouse, landing, D1)
    synced = sync(warehouse, folder)
    columns = synced.columns["raw.tmall__member"]
    spark = (sql.SparkSession.builder.master("local[1]").config("spark.sql.warehouse.dir", str(tmp_path))
             .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false").getOrCreate())
    spark.sql("create database raw_layer_test")  # our table stays out of a shared session's
    try:
        spark.sql("set spark.sql.hive.manageFilesourcePartitions=false")
        spark.sql(f"create table raw_layer_test.member ({columns}) using parquet partitioned by "
                  f"(_business_date) location '{folder / 'raw' / 'tmall__member'}'")
        spark.sql("reset spark.sql.hive.manageFilesourcePartitions")
        # no day loaded yet: one empty file, a plain table (Spark fails max() over no partition)
        assert "tmall__trade" in synced.empty and "raw.tmall__trade" not in synced.partitioned()
        trade = folder / "raw" / "tmall__trade"
        spark.sql(f"create table raw_layer_test.trade using parquet location '{trade}'")
        none = spark.sql("select count(*), max(_business_date) from raw_layer_test.trade").collect()
        assert none == [(0, None)]
        order = ("member_id, buyer_nick, phone_hash, phone_kind, bound_at, _business_date, _file, "
                 "_row_number, _record_hash, _encoding, _loaded_at")

        def instants(rows):  # Spark's are naive in the process's zone, DuckDB's zoned: as epochs
            return sorted((*r[:4], r[4].timestamp(), *r[5:10], r[10].timestamp()) for r in rows)

        def spark_rows():
            spark.sql("refresh table raw_layer_test.member")
            return instants(spark.sql(f"select {order} from raw_layer_test.member").collect())

        def duckdb_rows():
            return instants(raw_rows(warehouse))

        assert len(duckdb_rows()) == 2 and spark_rows() == duckdb_rows()
        deliver(landing, D2, member(3))
        night(warehouse, landing, D2)
        sync(warehouse, folder)
        assert len(duckdb_rows()) == 3 and spark_rows() == duckdb_rows()
    finally:
        spark.sql("drop database raw_layer_test cascade")
