"""Every dbt unit test of the project runs and passes.

The unit tests (hand-computed small cases: transfers, re-adds, joins and leaves, a shared family
phone, a guide's phone in many remarks, a colleague's phone in a remark, RFM ties, funnels, CAC…) live
beside their models in the models' yml. The nightly build excludes unit tests, so this build is where
they run. A unit test needs its inputs' relations to exist: the build creates every seed and model over
empty raw tables and empty identity and CLV schemas, and dbt runs each model's unit tests before building it.
"""

from __future__ import annotations

import duckdb
from dbt_support import failures, run_dbt, write_raw

from identity.warehouse import DDL as IDENTITY_DDL
from value.warehouse import ensure_tables as create_clv_tables

NAMED = {  # cases issue 4 asks for by name; the build must run them, not skip them
    "identity_family_phone_pairs_are_phone_links",
    "identity_family_phone_links_once_per_account",
    "identity_guide_phone_in_remarks_pairs",
    "identity_guide_phone_in_remarks_is_blocked",
    "exclusions_a_colleagues_phone_in_a_remark_marks_the_colleague",
    "wecom_transfer_between_guides",
    "wecom_customer_deletes_and_readds_gives_two_friendships",
    "group_join_and_leave_between_snapshots_and_member_present_throughout",
    "reach_spans_carry_a_hand_over_and_keep_a_pending_one_open",
}


def test_every_dbt_unit_test_passes(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    write_raw(warehouse, {})
    with duckdb.connect(str(warehouse)) as con:
        con.execute(IDENTITY_DDL)  # what the identity step writes, read back by dbt as sources
        create_clv_tables(con)  # and the CLV step
    result = run_dbt(tmp_path, warehouse, [
        "build", "--resource-type", "model", "--resource-type", "seed", "--resource-type", "unit_test",
    ])
    assert result.success, result.exception or failures(result)
    ran = {r.node.name: r.status for r in result.result if r.node.resource_type == "unit_test"}
    assert len(ran) >= 60 and set(ran.values()) == {"pass"}
    assert NAMED <= set(ran)
