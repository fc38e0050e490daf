"""Spark SQL runs identity/components_sql.py's statements unchanged, to the same labels in the same
rounds as DuckDB. Skipped without pyspark (issue 16's `spark` extra, with Java 17); by hand on
Spark 4.3.0 (local) the 300,000-node identity-shaped graph also took its 10 rounds (83 s, 2 cores
shared) and equalled scipy. About a minute here, most of it Spark's start: with the Spark nights in
`make test-spark` (spark_night), so `make test` starts one Spark session, not two (its Spark proof
is tests/engines/test_spark_small_brand.py)."""

import numpy as np
import pytest
from component_graphs import path, relabel

from identity.components import components
from identity.components_sql import contract, star_contraction, star_labels

pytestmark = [pytest.mark.build, pytest.mark.spark_night]


def test_the_same_statements_run_on_spark_sql(tmp_path):
    sql = pytest.importorskip("pyspark.sql")
    spark = (sql.SparkSession.builder.master("local[1]").config("spark.sql.warehouse.dir", str(tmp_path))
             .config("spark.sql.shuffle.partitions", "1").config("spark.ui.enabled", "false").getOrCreate())
    previous = spark.catalog.currentDatabase()
    spark.sql("create database components_sql_test")  # our tables stay out of a shared session's
    spark.sql("use components_sql_test")
    try:
        n, left, right = relabel(*path(40), seed=7)
        n, left, right = n + 10, np.append(left, [45, 46]), np.append(right, [46, 46])  # 10 more, 2 linked
        rows = list(zip(left.tolist(), right.tolist(), strict=True))
        spark.createDataFrame(rows, "a bigint, b bigint").createOrReplaceTempView("edge_input")
        rounds = contract(lambda statement: [tuple(row) for row in spark.sql(statement).collect()], n)
        stars = np.array(spark.sql("select hi, lo from edges").collect(), dtype=np.int64).reshape(-1, 2)
        labels = star_labels(n, stars[:, 0], stars[:, 1])
        assert (labels == components(n, left, right)).all()
        assert labels[40:].tolist() == [40, 41, 42, 43, 44, 45, 45, 47, 48, 49]
        assert rounds == star_contraction(n, left, right)[1]
    finally:
        spark.sql(f"use {previous}")
        spark.sql("drop database components_sql_test cascade")
