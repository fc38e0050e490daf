"""The intermediate layer on Spark gives DuckDB's rows (issue 16, docs/engines.md).

The brand of tests/engines/conftest.py (`spark_brand`): every intermediate model (but those of
spark_brand.NOT_ON_SPARK, none now) built on local Spark over its own staging layer by the night on
Spark, read from Spark's Parquet files and compared with DuckDB's table after normalising types
(engines/compare.py). One column is compared apart: the identity inputs' record_key, a 64-bit
hash each engine computes its own way, must group the same records on both.
"""

from __future__ import annotations

import duckdb
import pytest
from spark_brand import (
    NOT_ON_SPARK,
    SKIP_WITHOUT_SPARK,
    differences_from_duckdb,
    spark_folder,
    spark_relation,
    tables,
    without_decided_rows,
)

pytestmark = [pytest.mark.e2e, pytest.mark.spark_night, SKIP_WITHOUT_SPARK]

# Per table shaped by an engine macro or a portable rewrite (docs/engines.md), rows the construct
# decides: equal because filled, not because empty.
MACRO_ROWS = {
    "int_orders": "order_source = 'tmall'",  # explicit union columns
    "int_wecom__contact_disappearances": "true",  # the ASOF join rewritten
    "int_wecom__group_memberships": "unionid is not null and invitor_userid is not null",  # arg_max/min
    "int_wecom__friendship_spans": "add_way is not null and state is not null",  # arg_min … filter
    "int_wecom__contact_signals": "ended_at is null and signal_type = 'snapshot'",  # instant_type
    "int_oa__subscriptions": "unsubscribed_at is not null",  # instant_text in subscription_id
    "int_wecom__friendships": "transferred_to_userid is not null",  # to_epoch_seconds, instant_text
    "int_identity__pairs": "right_value is not null",  # record_key, is_blank
    "int_identity__nodes": "records > 1",  # record_key
    "int_touches__first_by_identifier": "channel is not null and source_rank > 1",  # struct_of
    "int_customers__exclusions": "exclusions is not null",  # sorted_distinct_text
    "int_customer_messages": "true",  # unnest_list
    "int_reach__daily_flows": "touchpoint = 'any' and added_customers > 0",  # generate_series_join
    "int_reach__spans": "touchpoint = 'wecom' and ended_at is null",  # add_hours
    "int_reach__intervals": "ended_at is null",  # instant_literal in merge_intervals
    "int_customers__care_anchors": "anchor = 'birthday'",  # try_iso_date
    "int_customers__stages_reached": "repeat_at is not null",  # nth_smallest
    "int_customers__profile": "home_store_code is not null",  # purchase stores in a CTE
    "int_performance__guide_month_customers": "first_received_at is not null",  # month_start
    "int_guides__due_tasks": "reason = 'friend_never_bought'",  # add_hours in beijing_date
    "int_economics__cohorts": "ltv_30d is not null",  # add_days, days_between, divide
    "int_economics__paybacks": "payback_days is not null",  # days_between
    "int_rfm__customer_snapshots": "recency_days > 0",  # days_between
    "int_rfm__scores": "r_score > 1",  # integer_divide
    "int_rfm__segments": "rfm_segment_en is not null",  # range_relation
    "int_guides__care_moments": "moment_type = 'birthday'",  # unnest_range
    "int_referrals__generations": "generation > 0",  # list_of, list_append, list_contains
    "int_referrals__pairs": "invitee_first_purchase_at is not null",  # as_text, instant_type
    "int_customers__tag_attributes": "attribute = 'lost_at'",  # iso_utc_text
    # a step needing an event later than one an earlier step spent: list_max_field, struct_of
    "int_funnel__customer_steps": "step_name = 'repurchase' and reached_at is not null",
}
# The hashes each engine names a source record by (int_identity__pairs, int_identity__nodes) and a
# customer's funnel inputs' sum (int_funnel__customer_steps)
ENGINE_NAMED = ("record_key", "inputs_checksum")
# When the landing was loaded, which int_identity__pairs keeps from staging (its incremental
# watermark): each engine's night loaded the landing itself, seconds apart (as in test_spark_staging)
LOAD_CLOCK = ("loaded_at", "written_run", "pairs_run")


def test_every_intermediate_model_is_built_on_spark(spark_brand):
    intermediate = tables(spark_brand["warehouse"], "intermediate")
    assert len(intermediate) == 66 and set(NOT_ON_SPARK) <= set(intermediate)
    built = sorted(p.name for p in spark_folder(spark_brand, "intermediate").iterdir())
    assert built == [t for t in intermediate if t not in NOT_ON_SPARK]


def test_every_intermediate_table_has_duckdbs_rows(spark_brand):
    with duckdb.connect(str(spark_brand["warehouse"]), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        different = differences_from_duckdb(con, spark_brand, "intermediate", NOT_ON_SPARK,
                                            engine_named=ENGINE_NAMED + LOAD_CLOCK)
        assert not different, "\n".join(different)
        empty = without_decided_rows(con, spark_brand, "intermediate", MACRO_ROWS)
    assert not empty, f"no rows the construct decides in {empty}"


def test_record_keys_group_the_same_records(spark_brand):
    """Each record named alike on both engines: its pairs (the rows sharing origin and record_key),
    named by their smallest row, are the same groups."""
    columns = "left_type, left_value, right_type, right_value, link_kind, phone_kind, observed_at, origin"
    grouped = (
        "select {c}, min(cast(({c}) as varchar)) over (partition by origin, record_key) as record "
        "from {relation}"
    )
    spark_pairs = spark_relation(spark_brand, "intermediate", "int_identity__pairs")
    with duckdb.connect(str(spark_brand["warehouse"]), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        here = grouped.format(c=columns, relation="intermediate.int_identity__pairs")
        there = grouped.format(c=columns, relation=spark_pairs)
        differ = con.execute(
            f"select count(*) from (({here} except all {there}) union all ({there} except all {here}))"
        ).fetchone()[0]
        records = [con.execute(f"select count(distinct (origin, record_key)) from {r}").fetchone()[0]
                   for r in ("intermediate.int_identity__pairs", spark_pairs)]
    assert differ == 0
    assert records[0] == records[1] > 100
