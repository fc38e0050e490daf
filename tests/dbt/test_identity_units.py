"""The identity models' dbt unit tests run and pass: a shared family phone, a guide's phone in remarks,
a colleague's phone in a remark (who is staff).

They live in models/intermediate/identity/_identity__models.yml and intermediate/customers. No other
test selects these models and the nightly build excludes unit tests, so this build is where they run.
A unit test needs its inputs' relations to exist: the build covers the models' upstream over empty raw
tables and an empty identity schema, and dbt runs each model's unit tests before building it.
"""

from __future__ import annotations

import duckdb
import pytest
from dbt.cli.main import dbtRunner
from dbt_support import DBT_DIR, write_raw

from identity.warehouse import DDL as IDENTITY_DDL

UNIT_TESTS = {
    "exclusions_a_colleagues_phone_in_a_remark_marks_the_colleague",
    "identity_family_phone_pairs_are_phone_links",
    "identity_family_phone_links_once_per_account",
    "identity_guide_phone_in_remarks_pairs",
    "identity_guide_phone_in_remarks_is_blocked",
}


def test_identity_unit_tests_pass(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    write_raw(warehouse, {})
    with duckdb.connect(str(warehouse)) as con:
        con.execute(IDENTITY_DDL)  # what the identity step writes, read back by dbt as sources
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIYU_WAREHOUSE", str(warehouse))
        mp.setenv("DO_NOT_TRACK", "1")
        mp.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        result = dbtRunner().invoke([
            "build", "--indirect-selection", "buildable",
            "--select", "+intermediate.identity", "+int_customers__exclusions",
            "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
            "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
        ])
    assert result.success, result.exception or [r.message for r in result.result or [] if r.status != "pass"]
    ran = {r.node.name: r.status for r in result.result if r.node.resource_type == "unit_test"}
    assert UNIT_TESTS <= set(ran) and {ran[name] for name in UNIT_TESTS} == {"pass"}
