"""The marts on Spark give DuckDB's rows (issue 16, docs/engines.md).

The brand of tests/engines/conftest.py (`spark_brand`): all 23 marts (the CLV ones from the Parquet
copy of the `value` schema the night's CLV step wrote) built on local Spark over its own
intermediate layer, under their enforced contracts (on Spark through macros/engine/contracts.sql),
read from Spark's Parquet files and compared with DuckDB's tables after normalising types
(engines/compare.py).
"""

from __future__ import annotations

import duckdb
import pytest
from spark_brand import (
    NOT_ON_SPARK,
    SKIP_WITHOUT_SPARK,
    differences_from_duckdb,
    spark_folder,
    tables,
    without_decided_rows,
)

pytestmark = [pytest.mark.e2e, pytest.mark.spark_night, SKIP_WITHOUT_SPARK]

# Per mart shaped by an engine macro or a portable rewrite (docs/engines.md), rows the construct
# decides: equal because filled, not because empty.
MACRO_ROWS = {
    "channel_economics": "cac > 0",  # divide: a decimal over a count
    "cohort_retention": "months_since_acquisition > 0 and purchasing_customers > 0",  # unnest_range,
    # month_boundaries
    "customer_tags": "assigned_at is not null",  # as_text, instant_type
    "funnel_customers": "furthest_step_name is not null and window_ends_at is not null",  # arg_max,
    # add_days
    "funnel_steps": "median_hours_from_previous is not null",  # median, to_epoch_ms, divide
    "identity_rejected": "reason = 'test_account'",  # the anti join as not exists
    "metricflow_time_spine": "true",  # generate_series_join
    "daily_kpis": "true",  # generate_series_join
    "guide_performance": "store_code is not null",  # as_text
    "wecom_success_rates": "userid is null",  # as_text('null') on lead rows
    "fission_campaigns": "first_invited_at is not null",  # as_text, instant_type
    "revenue_pareto": "top20_share_of_revenue > 0 and percentile_bucket > 1",  # integer_divide,
    # range_relation, divide
    "rfm_segment_summary": "share_of_revenue > 0",  # divide
    "user_asset_statement": "period_grain = 'month' and opening_customers > 0",  # arg_min, arg_max
}
# The median's two-middle-values case (an even count of hours in a group), where Spark's own
# median would differ in the last digit (macros/engine/aggregates.sql)
EVEN_MEDIANS = """
    select count(*) from (
        select count(s.previous_reached_at) as n
        from intermediate.int_funnel__customer_steps as s
        inner join intermediate.int_customers__acquisition as a on s.customer_id = a.customer_id
        where s.reached_at is not null
        group by date_trunc('week', a.acquired_date), a.acquisition_channel, s.step_order
        having n > 0 and n % 2 = 0
    )
"""


def test_every_mart_is_built_on_spark(spark_brand):
    marts = tables(spark_brand["warehouse"], "marts")
    assert len(marts) == 23 and set(MACRO_ROWS) <= set(marts)
    built = sorted(p.name for p in spark_folder(spark_brand, "marts").iterdir())
    assert built == [t for t in marts if t not in NOT_ON_SPARK]


def test_every_mart_has_duckdbs_rows(spark_brand):
    with duckdb.connect(str(spark_brand["warehouse"]), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        different = differences_from_duckdb(con, spark_brand, "marts", NOT_ON_SPARK)
        assert not different, "\n".join(different)
        empty = without_decided_rows(con, spark_brand, "marts", MACRO_ROWS)
        even_medians = con.execute(EVEN_MEDIANS).fetchone()[0]
    assert not empty, f"no rows the construct decides in {empty}"
    assert even_medians > 0
