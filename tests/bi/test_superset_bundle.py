"""The Superset bundle (bi/superset/bundle/) against the marts' dbt contracts, without Superset.

`make superset-check` proves the bundle on a real Superset (minutes, ~900 MB); these tests keep it
from drifting in seconds: a mart column renamed, a chart asking for a column or metric its dataset
lacks, a metric or adhoc expression DuckDB cannot run, a chart missing from the dashboard. Each
chart's saved query is run by DuckDB on empty tables made from the marts' contracts.
"""

from __future__ import annotations

import importlib.util
import json
import zipfile
from pathlib import Path

import duckdb
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SPEC = importlib.util.spec_from_file_location("superset_build", REPO / "bi/superset/build.py")
build = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(build)

PUBLISHED = Path("/srv/bi/brand.published.duckdb")
MAIN_MARTS = {"user_assets", "user_asset_statement", "daily_kpis", "guide_performance",
              "funnel_steps", "rfm_segment_summary", "channel_economics", "cohort_retention"}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> dict[str, dict]:
    """The built zip's files (path under its root folder -> parsed YAML)."""
    out = build.build(PUBLISHED, tmp_path_factory.mktemp("superset") / "bundle.zip")
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert all(name.startswith(build.ROOT + "/") for name in names)
        return {name.split("/", 1)[1]: yaml.safe_load(archive.read(name)) for name in names}


def _of(bundle: dict, folder: str) -> list[dict]:
    return [config for name, config in bundle.items() if name.startswith(folder + "/")]


def test_the_zip_is_superset_import_layout_with_the_published_path(bundle):
    assert bundle["metadata.yaml"]["version"] == "1.0.0"
    assert bundle["metadata.yaml"]["type"] == "Dashboard"
    [database] = _of(bundle, "databases")
    assert database["sqlalchemy_uri"] == "duckdb:////srv/bi/brand.published.duckdb"
    assert database["extra"]["engine_params"]["connect_args"] == {"read_only": True}
    assert not database["allow_dml"]
    assert {d["table_name"] for d in _of(bundle, "datasets")} == MAIN_MARTS
    assert {d["database_uuid"] for d in _of(bundle, "datasets")} == {database["uuid"]}
    assert 6 <= len(_of(bundle, "charts")) <= 10
    assert len(_of(bundle, "dashboards")) == 1
    uuids = [config["uuid"] for name, config in bundle.items() if name != "metadata.yaml"]
    assert len(uuids) == len(set(uuids))


def test_a_relative_published_path_is_refused(tmp_path):
    with pytest.raises(ValueError, match="absolute"):
        build.build(Path("var/demo/warehouse.published.duckdb"), tmp_path / "b.zip")


def test_datasets_carry_mart_columns_with_their_types_and_dbt_descriptions(bundle):
    models = build.dbt_models()
    for dataset in _of(bundle, "datasets"):
        assert dataset["schema"] == "marts"
        model = models[dataset["table_name"]]
        contract = {c["name"]: c["data_type"].upper() for c in model["columns"]}
        for column in dataset["columns"]:
            name = column["column_name"]
            assert contract.get(name) == column["type"], (dataset["table_name"], name)
            assert column["description"], (dataset["table_name"], name)
        assert dataset["description"].startswith(" ".join(model["description"].split())[:40])
        main = dataset["main_dttm_col"]
        assert next(c for c in dataset["columns"] if c["column_name"] == main)["is_dttm"]
        metrics = [m["metric_name"] for m in dataset["metrics"]]
        assert len(metrics) == len(set(metrics))
        assert not set(metrics) & set(contract), "a metric named as a column is ambiguous"


def _empty_marts(bundle: dict) -> duckdb.DuckDBPyConnection:
    """Empty tables marts.<mart> with the contract's columns and types."""
    con = duckdb.connect()
    con.execute("create schema marts")
    models = build.dbt_models()
    for dataset in _of(bundle, "datasets"):
        columns = models[dataset["table_name"]]["columns"]
        ddl = ", ".join(f'"{c["name"]}" {c["data_type"]}' for c in columns)
        con.execute(f"create table marts.{dataset['table_name']} ({ddl})")
    return con


def _column_sql(column) -> tuple[str, str]:
    if isinstance(column, str):
        return f'"{column}"', column
    return column["sqlExpression"], column["label"]


def _query_sql(query: dict, dataset: dict) -> str:
    """Roughly the SQL Superset writes for a saved query: its columns, metrics, filters, order."""
    metrics = {m["metric_name"]: m["expression"] for m in dataset["metrics"]}
    columns = [_column_sql(c) for c in query["columns"]]
    select = [f'{sql} as "{label}"' for sql, label in columns]
    select += [f'{metrics[name]} as "{name}"' for name in query["metrics"]]
    where = [
        f"\"{f['col']}\" = '{f['val']}'" for f in query["filters"] if f["op"] != "TEMPORAL_RANGE"
    ]
    known = {label for _, label in columns} | set(query["metrics"])
    assert all(name in known for name, _ in query["orderby"]), query["orderby"]
    order = [f'"{name}" {"asc" if asc else "desc"}' for name, asc in query["orderby"]]
    sql = f"select {', '.join(select)} from marts.{dataset['table_name']}"
    sql += f" where {' and '.join(where)}" if where else ""
    sql += f" group by {', '.join(sql for sql, _ in columns)}" if query["metrics"] and columns else ""
    return sql + (f" order by {', '.join(order)}" if order else "")


def test_every_metric_and_chart_query_runs_on_the_marts_contracts(bundle):
    datasets = {d["uuid"]: d for d in _of(bundle, "datasets")}
    con = _empty_marts(bundle)
    for dataset in datasets.values():
        for metric in dataset["metrics"]:
            con.execute(f"select {metric['expression']} from marts.{dataset['table_name']}")
    for chart in _of(bundle, "charts"):
        dataset = datasets[chart["dataset_uuid"]]
        context = json.loads(chart["query_context"])
        assert context["form_data"] == chart["params"]
        assert chart["params"]["viz_type"] == chart["viz_type"]
        for query in context["queries"]:
            con.execute(_query_sql(query, dataset)).fetchall()  # raises on an unknown name


def _params_names(params: dict) -> tuple[list, list]:
    """The columns and metrics a chart's form data asks for (what the dashboard draws)."""
    if params.get("query_mode") == "raw":
        return params["all_columns"], []
    metrics = params.get("metrics") or [params["metric"]]
    groupby = params.get("groupby") or []
    groupby = groupby if isinstance(groupby, list) else [groupby]
    x_axis = [params["x_axis"]] if "x_axis" in params else []
    return [*x_axis, *groupby], metrics


def test_each_chart_saved_query_asks_what_its_form_data_draws(bundle):
    for chart in _of(bundle, "charts"):
        [query] = json.loads(chart["query_context"])["queries"]
        columns, metrics = _params_names(chart["params"])
        asked = [c if isinstance(c, str) else c["sqlExpression"] for c in query["columns"]]
        drawn = [c if isinstance(c, str) else c["sqlExpression"] for c in columns]
        assert sorted(asked) == sorted(drawn), chart["slice_name"]
        assert query["metrics"] == metrics, chart["slice_name"]
        filters = {(f["subject"], f["comparator"]) for f in chart["params"]["adhoc_filters"]}
        assert {(f["col"], f["val"]) for f in query["filters"]} == filters, chart["slice_name"]


def test_the_dashboard_holds_every_chart_once_in_rows_of_twelve(bundle):
    [dashboard] = _of(bundle, "dashboards")
    position = dashboard["position"]
    charts = {c["uuid"]: c["slice_name"] for c in _of(bundle, "charts")}
    placed = [v["meta"] for v in position.values() if isinstance(v, dict) and v["type"] == "CHART"]
    assert sorted(m["uuid"] for m in placed) == sorted(charts)
    assert all(m["sliceName"] == charts[m["uuid"]] for m in placed)
    assert len({m["chartId"] for m in placed}) == len(placed)
    for row_id in position["GRID_ID"]["children"]:
        row = position[row_id]
        assert row["type"] == "ROW"
        assert sum(position[child]["meta"]["width"] for child in row["children"]) <= 12
        assert all(position[child]["parents"][-1] == row_id for child in row["children"])
