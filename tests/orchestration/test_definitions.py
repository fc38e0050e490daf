"""The Dagster definitions load, wire landing → dbt → identity → dbt → publish, and schedule nightly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import AssetKey

from ingestion.contracts import CONTRACTS
from orchestration.pipeline import parse_dbt_project

ENV = {"SIYU_WAREHOUSE": "/tmp/siyu-defs-test.duckdb", "SIYU_LANDING_DIR": "/tmp", "SIYU_PHONE_SALT": "x"}


@pytest.fixture(scope="module")
def defs():
    os.environ.update({k: os.environ.get(k, v) for k, v in ENV.items()})
    parse_dbt_project()
    from orchestration.definitions import defs

    return defs


@pytest.mark.build  # Dagster loads the whole code location in a subprocess (~10–20 s)
def test_dagster_validates_the_definitions(defs):
    dagster = Path(sys.executable).parent / "dagster"
    result = subprocess.run([str(dagster), "definitions", "validate", "-m", "orchestration.definitions"],
                            capture_output=True, text=True, env={**os.environ, **ENV})
    assert result.returncode == 0, result.stdout + result.stderr


def test_landing_assets_are_exactly_dbt_sources(defs):
    graph = defs.resolve_asset_graph()
    landing = {(c.source, c.entity) for c in CONTRACTS.values()}
    keys = {tuple(k.path) for k in graph.get_all_asset_keys()}
    assert landing <= keys
    # dbt's staging models depend on the very same keys: no translation between the two.
    staging = [k for k in graph.get_all_asset_keys() if k.path[0] == "staging"]
    upstream = {tuple(p.path) for k in staging for p in graph.get(k).parent_keys}
    assert upstream <= keys and (("youzan", "trade") in upstream)


def test_the_load_log_models_wait_for_every_landing_asset(defs):
    """raw._load_log is written by the landing step whatever it loads: the models over it depend on
    every landing asset (and so on their blocking raw checks), not on a source nothing writes."""
    graph = defs.resolve_asset_graph()

    def parents(model: str) -> set[tuple[str, ...]]:
        return {tuple(p.path) for p in graph.get(AssetKey(["staging", model])).parent_keys}

    for model in ("stg_loads__load_logs", "stg_loads__unreadable_snapshot_rows"):  # and raw._quarantine
        assert {(c.source, c.entity) for c in CONTRACTS.values()} <= parents(model)
    # the other staging models keep only their own sources
    assert parents("stg_youzan__trades") == {("youzan", "trade")}


def test_identity_sits_between_dbt_layers_and_publish_after_marts(defs):
    graph = defs.resolve_asset_graph()
    key = next(k for k in graph.get_all_asset_keys() if k.path == ["identity", "customer_map"])
    identity = graph.get(key)
    assert {tuple(p.path) for p in identity.parent_keys} == {("intermediate", "int_identity__nodes"),
                                                             ("intermediate", "int_identity__links")}
    publish = graph.get(next(k for k in graph.get_all_asset_keys() if k.path == ["publish", "marts"]))
    assert ("marts", "user_assets") in {tuple(p.path) for p in publish.parent_keys}


def test_dbt_tests_are_asset_checks(defs):
    checks = {c.name for c in defs.resolve_asset_graph().asset_check_keys}
    assert any(name.startswith("unique_user_assets_customer_id") for name in checks)


def test_nightly_schedule_runs_at_two_beijing(defs):
    schedule = defs.resolve_schedule_def("nightly_schedule")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Shanghai"


def test_landing_and_published_marts_must_be_fresh_by_four_beijing(defs):
    graph = defs.resolve_asset_graph()
    keys = [k for k in graph.get_all_asset_keys() if len(k.path) == 2 and tuple(k.path) in CONTRACTS]
    keys.append(next(k for k in graph.get_all_asset_keys() if k.path == ["publish", "marts"]))
    assert len(keys) == len(CONTRACTS) + 1
    for key in keys:
        policy = graph.get(key).freshness_policy
        assert (policy.deadline_cron, policy.timezone) == ("0 4 * * *", "Asia/Shanghai"), key


def test_every_landing_asset_carries_the_blocking_boundary_checks(defs):
    checks = {}
    for spec in defs.resolve_asset_graph().asset_check_keys:
        checks.setdefault(tuple(spec.asset_key.path), set()).add(spec.name)
    for key in CONTRACTS:
        assert {"contract", "volume", "duplicate_file", "accounting", "freshness"} <= checks[key], key
    assert "amounts" in checks[("youzan", "trade")] and "amounts" not in checks[("mp", "event")]


def test_every_dbt_data_test_is_a_dagster_asset_check(defs):
    """Singular tests reading several models name the one they guard (meta.dagster.ref); without
    it dagster-dbt would log them as observations, which block nothing."""
    import json

    from orchestration.settings import DBT_TARGET_DIR

    manifest = json.loads((DBT_TARGET_DIR / "manifest.json").read_text())
    tests = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "test"}
    checks = {c.name for c in defs.resolve_asset_graph().asset_check_keys}
    assert tests and tests - checks == set()


def test_dbt_checks_carry_the_description_their_test_gives(defs):
    """What a dbt test's YAML says it asserts is what Dagster shows for its check."""
    graph = defs.resolve_asset_graph()
    specs = {s.key.name: s for key in graph.asset_check_keys for s in [graph.get_check_spec(key)]}
    grain = specs["unique_combination_rfm_scores_as_of_date__customer_id"]
    assert grain.description.startswith("Grain: one score per customer and snapshot")
    described = [s for s in specs.values() if s.description]
    assert len(described) >= 50
