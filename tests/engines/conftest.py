"""One small simulated brand built on both engines, shared by the Spark modules (docs/engines.md).

The brand runs through the DuckDB pipeline; its source tables are copied to Parquet
(engines/raw_parquet.py), and one Spark session declares them, loads the seeds, builds the staging
layer, the intermediate models and the marts, and writes the three back to Parquet for comparing
with DuckDB's tables (engines/compare.py). Session-scoped: starting Spark (a JVM, a Hive metastore)
and building ~120 models is minutes, paid once for tests/engines/test_spark_staging.py,
test_spark_intermediate.py and test_spark_marts.py, which tests/conftest.py sends to one worker
together.
"""

from __future__ import annotations

import pytest
from spark_brand import build


@pytest.fixture(scope="session")
def spark_brand(tmp_path_factory):
    """The brand on both engines (spark_brand.build), built once per session."""
    return build(tmp_path_factory.mktemp("spark_brand"))
