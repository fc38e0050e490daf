"""The identity models' dbt unit tests run and pass: a shared family phone, a guide's phone in remarks.

They live in models/intermediate/identity/_identity__models.yml. No other test selects the identity
models and the nightly build excludes unit tests, so this build is where they run. A unit test needs
its inputs' relations to exist: the build covers the identity models' upstream over empty raw tables,
and dbt runs each model's unit tests before building it.
"""

from __future__ import annotations

import pytest
from dbt.cli.main import dbtRunner
from dbt_support import DBT_DIR, write_raw

UNIT_TESTS = {
    "identity_family_phone_pairs_are_phone_links",
    "identity_family_phone_links_once_per_account",
    "identity_guide_phone_in_remarks_pairs",
    "identity_guide_phone_in_remarks_is_blocked",
}


def test_identity_unit_tests_pass(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    write_raw(warehouse, {})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIYU_WAREHOUSE", str(warehouse))
        mp.setenv("DO_NOT_TRACK", "1")
        mp.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        result = dbtRunner().invoke([
            "build", "--indirect-selection", "buildable", "--select", "+intermediate.identity",
            "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
            "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
        ])
    assert result.success, result.exception or [r.message for r in result.result or [] if r.status != "pass"]
    ran = {r.node.name: r.status for r in result.result if r.node.resource_type == "unit_test"}
    assert UNIT_TESTS <= set(ran) and {ran[name] for name in UNIT_TESTS} == {"pass"}
