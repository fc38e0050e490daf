"""The dbt folders are the architecture: the rules of layer_rules.py hold on the project's manifest,
and each rule reports a violation planted in a copy of it (a check that cannot fail is no check)."""

from __future__ import annotations

import copy
import json

import duckdb
import pytest
import yaml
from dbt_support import DBT_DIR, failures, run_dbt, write_raw
from layer_rules import doc_violations, folder_violations, models, read_violations

from identity.warehouse import DDL as IDENTITY_DDL
from value.warehouse import ensure_tables as create_clv_tables

EXCEPTIONS = yaml.safe_load((DBT_DIR / "layer_exceptions.yml").read_text(encoding="utf-8"))["exceptions"]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("parse")
    result = run_dbt(tmp, tmp / "warehouse.duckdb", ["parse"])
    assert result.success, result.exception
    return json.loads((tmp / "target" / "manifest.json").read_text(encoding="utf-8"))


def node(manifest: dict, name: str) -> dict:
    return next(n for n in models(manifest).values() if n["name"] == name)


def test_models_live_in_the_folder_their_name_gives(manifest):
    assert folder_violations(manifest) == []


def test_layers_read_downward_or_give_a_reason(manifest):
    assert read_violations(manifest, EXCEPTIONS) == []


def test_every_model_and_column_is_described_beside_it(manifest):
    assert doc_violations(manifest) == []


# Grain tests of the identity marts, whose YAML another change is rewriting: to be described there.
# Listed exactly, so the test fails once they are described and this entry is stale.
UNDESCRIBED_FOR_NOW: set[str] = set()


def test_grain_and_singular_tests_say_what_they_assert(manifest):
    """Dagster shows a dbt test's description on its asset check: the singular tests and the tests
    of each mart's grain (unique, unique_combination) carry one."""
    undescribed = []
    for n in manifest["nodes"].values():
        if n["resource_type"] != "test" or n["description"].strip():
            continue
        kind = (n.get("test_metadata") or {}).get("name", "singular")
        on_mart = "/marts/" in manifest["nodes"].get(n.get("attached_node") or "", {}).get(
            "original_file_path", "")
        if kind == "singular" or (on_mart and kind in ("unique", "unique_combination")):
            undescribed.append(n["name"])
    assert set(undescribed) == UNDESCRIBED_FOR_NOW


def test_not_null_rules_are_one_test_per_model(manifest):
    """A model's not-null columns are one `not_null_columns` test (one query, one node), not a
    `not_null` test per column: each node costs a night ~65 ms of dbt's own work."""
    per_column = [n["name"] for n in manifest["nodes"].values()
                  if (n.get("test_metadata") or {}).get("name") == "not_null"]
    assert per_column == []
    per_model = [n["attached_node"] for n in manifest["nodes"].values()
                 if (n.get("test_metadata") or {}).get("name") == "not_null_columns"]
    assert len(per_model) == len(set(per_model)) > 50
    # below the marts, a model's value lists and one-column keys are in that test too (the marts
    # keep their described grain tests, which Dagster shows on their checks; the seeds' tests run
    # only on a night their files changed)
    apart = sorted(n["name"] for n in manifest["nodes"].values()
                   if (n.get("test_metadata") or {}).get("name") in ("accepted_values", "unique")
                   and n.get("attached_node") in per_model and n["attached_node"].startswith("model.")
                   and "/marts/" not in manifest["nodes"][n["attached_node"]]["original_file_path"])
    assert apart == []


@pytest.mark.build
def test_every_column_a_model_builds_is_described(tmp_path):
    """The YAML names exactly the columns each model builds (over empty raw tables), in both directions:
    no built column without a description, no described column the model no longer has."""
    warehouse = tmp_path / "warehouse.duckdb"
    write_raw(warehouse, {})
    with duckdb.connect(str(warehouse)) as con:
        con.execute(IDENTITY_DDL)
        create_clv_tables(con)  # the CLV step's tables, which the CLV marts read
    result = run_dbt(tmp_path, warehouse, ["build", "--resource-type", "model", "--resource-type", "seed"])
    assert result.success, result.exception or failures(result)
    # dbt keeps its own connection to the file open: read the columns through its catalog
    result = run_dbt(tmp_path, warehouse, ["docs", "generate", "--no-compile"])
    assert result.success, result.exception
    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text(encoding="utf-8"))["nodes"]
    built = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    mismatches = {}
    for uid, n in models(built).items():
        have = {c.lower() for c in catalog[uid]["columns"]}
        if have != set(n["columns"]):
            mismatches[n["name"]] = (sorted(have - set(n["columns"])), sorted(set(n["columns"]) - have))
    assert mismatches == {}, "model: (undescribed columns, described columns it lacks)"


# Planted violations: each rule must name what breaks it.


def test_a_model_in_another_folder_than_its_name_is_reported(manifest):
    planted = copy.deepcopy(manifest)
    bounds = node(planted, "int_calendar__bounds")
    bounds["original_file_path"] = "models/intermediate/reach/int_calendar__bounds.sql"
    node(planted, "stg_oa__users")["original_file_path"] = "models/marts/oa/stg_oa__users.sql"
    assert sorted(folder_violations(planted)) == [
        "int_calendar__bounds: in intermediate/reach/, its name files it in intermediate/core/",
        "stg_oa__users: in marts/, whose models are named without stg_/int_…",
    ]


def test_a_read_upwards_or_across_is_reported(manifest):
    planted = copy.deepcopy(manifest)
    mart = next(uid for uid, n in models(planted).items() if n["name"] == "rfm_scores")
    node(planted, "int_customers__tag_attributes")["depends_on"]["nodes"].append(mart)
    staged = next(uid for uid, n in models(planted).items() if n["name"] == "stg_org__employees")
    node(planted, "daily_kpis")["depends_on"]["nodes"].append(staged)
    node(planted, "int_purchases")["depends_on"]["nodes"].append("source.siyu.youzan.trade")
    assert sorted(read_violations(planted, EXCEPTIONS)) == [
        "daily_kpis (marts) reads staging stg_org__employees: not in dbt_project/layer_exceptions.yml",
        "int_customers__tag_attributes (intermediate) reads marts rfm_scores: "
        "not in dbt_project/layer_exceptions.yml",
        "int_purchases (intermediate) reads source source.siyu.youzan.trade",
    ]


def test_an_exception_no_longer_needed_or_without_reason_is_reported(manifest):
    stale = [*EXCEPTIONS, {"model": "daily_kpis", "reads": "user_asset_statement", "reason": "was so"}]
    assert read_violations(manifest, stale) == [
        "exception daily_kpis → user_asset_statement no longer needed: daily_kpis does not read "
        "user_asset_statement",
    ]
    unexplained = [{**e, "reason": " "} if e["model"] == "identity_changes" else e for e in EXCEPTIONS]
    assert read_violations(manifest, unexplained) == [
        "exception identity_changes → stg_identity__changes gives no reason",
    ]


def test_an_undescribed_model_or_column_or_a_twin_elsewhere_is_reported(manifest):
    planted = copy.deepcopy(manifest)
    node(planted, "int_purchases")["columns"]["net_amount"]["description"] = ""
    node(planted, "int_rfm__scores")["description"] = " "
    node(planted, "user_assets")["patch_path"] = "siyu://models/marts/rfm/_rfm__marts.yml"
    assert sorted(doc_violations(planted)) == [
        "int_purchases.net_amount: no description",
        "int_rfm__scores: no description",
        "user_assets: no YAML twin in models/marts/user_assets/ (described in "
        "siyu://models/marts/rfm/_rfm__marts.yml)",
    ]


def test_the_clv_tables_python_writes_are_described_and_published_as_written(manifest):
    """value/warehouse.py writes the CLV tables into schema `value`; the dbt source describing them
    names every column it writes, with its type, and no other, and the contracted marts publishing
    them declare the same columns and types (dbt would refuse a drifted contract at build time)."""
    from value.warehouse import CALIBRATION_COLUMNS, PREDICTION_COLUMNS, SCHEMA

    sources = {n["name"]: n for n in manifest["sources"].values() if n["source_name"] == "value"}
    written_by_table = {"clv_predictions": PREDICTION_COLUMNS, "clv_calibration": CALIBRATION_COLUMNS}
    for table, written in written_by_table.items():
        assert sources[table]["schema"] == SCHEMA
        described = {c: col["data_type"] for c, col in sources[table]["columns"].items()}
        assert described == written, table
        assert all(col["description"].strip() for col in sources[table]["columns"].values())
        mart = node(manifest, table)
        assert mart["config"]["contract"]["enforced"] and mart["config"]["schema"] == "marts"
        assert {c: col["data_type"] for c, col in mart["columns"].items()} == written, table
