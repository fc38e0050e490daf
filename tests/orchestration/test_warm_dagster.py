"""Through Dagster (dagster-dbt's DbtCliResource, as a night's dbt steps run), the warm dbt process
reports what a `dbt` process reports: the same materializations and asset checks; and a failing
`error` test fails the step, so what reads the model downstream does not run."""

import duckdb
import pytest
from dagster import AssetExecutionContext, AssetKey, DagsterEventType, asset, materialize
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from warm_support import DBT, tiny_project

from orchestration.warm import warm_dbt

pytestmark = pytest.mark.build


def _night(root, executable: str, monkeypatch, env: dict) -> tuple[bool, list[str], list[tuple]]:
    """The tiny project's dbt step and a step reading its model: success, what was materialized,
    the check evaluations."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    @dbt_assets(manifest=root / "target" / "manifest.json",
                dagster_dbt_translator=DagsterDbtTranslator(
                    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)))
    def tiny(context: AssetExecutionContext, dbt: DbtCliResource):
        yield from dbt.cli(["build"], context=context).stream()

    @asset(deps=[AssetKey("numbers")])
    def published() -> None:
        pass

    dbt = DbtCliResource(project_dir=str(root), profiles_dir=str(root), dbt_executable=executable)
    result = materialize([tiny, published], resources={"dbt": dbt}, raise_on_error=False)
    done = sorted(e.asset_key.to_user_string() for e in result.get_asset_materialization_events()
                  if e.asset_key)
    checks = sorted((e.event_specific_data.check_name, e.event_specific_data.passed)
                    for e in result.all_events if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION)
    return result.success, done, checks


def test_the_warm_step_reports_to_dagster_what_dbt_reports(tmp_path, monkeypatch):
    root, env, warehouse = tiny_project(tmp_path)
    plain = _night(root, DBT, monkeypatch, env)
    with warm_dbt(root, root / "target") as client:
        warm = _night(root, client, monkeypatch, env)
        with duckdb.connect(str(warehouse)) as con:
            con.execute("insert into raw.numbers values (2)")  # the unique test now fails
        failing = _night(root, client, monkeypatch, env)
    plain_failing = _night(root, DBT, monkeypatch, env)
    assert warm == plain == (True, ["numbers", "published"],
                             [("not_null_numbers_n", True), ("unique_numbers_n", True)])
    assert failing == plain_failing
    assert failing[0] is False and "published" not in failing[1]  # the night stops there
    assert ("unique_numbers_n", False) in failing[2]
