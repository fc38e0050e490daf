"""One small simulated brand run on both engines, shared by the Spark modules (docs/engines.md).

The brand's landing folder runs through `siyu run`'s pipeline (one Dagster job) on DuckDB and again
with SIYU_ENGINE=spark: its own DuckDB file for the raw layer and the Python steps, every dbt step
on local Spark (engines/spark_dbt.py), its own published copy. The modules compare Spark's tables
(the Parquet files of its managed tables) and published marts with DuckDB's (engines/compare.py).
Session-scoped: a night on Spark (a Spark session per dbt step, ~120 models and ~300 data tests)
is minutes, paid once for tests/engines/test_spark_staging.py, test_spark_intermediate.py,
test_spark_marts.py and test_spark_pipeline.py, which tests/conftest.py sends to one worker
together.
"""

from __future__ import annotations

import pytest
from spark_brand import build


@pytest.fixture(scope="session")
def spark_brand(tmp_path_factory):
    """The brand on both engines (spark_brand.build), built once per session."""
    return build(tmp_path_factory.mktemp("spark_brand"))
