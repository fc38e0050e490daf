"""Shared by the metrics tests: MetricFlow's engine over a DuckDB warehouse, and a small simulated brand.

MetricFlow plans and renders each query's SQL (`MetricFlowEngine.query`, what `mf query` calls); a
DuckDB connection runs it. `mf query` itself reads `dbt_project/target/semantic_manifest.json`
whatever dbt's target path, so it cannot serve two test workers: the engine takes the manifest of
the test's own target folder instead.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from dbt_support import failures, run_dbt

SALT = b"metrics-test-salt"


class Metrics:
    """`query(metrics, group_by)` → {group values: metric values}, as MetricFlow computes them."""

    def __init__(self, target: Path, warehouse: Path):
        try:
            from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
            from metricflow_semantics.model.dbt_manifest_parser import (
                parse_manifest_from_dbt_generated_manifest,
            )
            from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup
        except ImportError:  # a failure, not a skip: the dev extra installs it (pyproject.toml)
            pytest.fail("MetricFlow is not installed: pip install -e '.[dev]' (dbt-metricflow)")
        text = (target / "semantic_manifest.json").read_text(encoding="utf-8")
        manifest = parse_manifest_from_dbt_generated_manifest(text)
        self.defined = {m["name"] for m in json.loads(text)["metrics"]}
        self.asked: set[str] = set()  # every metric a query asked for: what the tests compared
        self._request = MetricFlowQueryRequest.create
        self._engine = MetricFlowEngine(SemanticManifestLookup(manifest), _duckdb_client(warehouse))

    def query(self, metrics: list[str], group_by: list[str] = ()) -> dict[tuple, tuple]:
        self.asked.update(metrics)
        table = self._engine.query(self._request(metric_names=metrics, group_by_names=group_by)).result_df
        names = [c.lower() for c in table.column_names]
        keys, values = [names.index(g) for g in group_by], [names.index(m) for m in metrics]
        return {tuple(_plain(row[i]) for i in keys): tuple(_plain(row[i]) for i in values)
                for row in table.rows}

    def one(self, metric: str, group_by: list[str] = ()) -> dict[tuple, object]:
        return {k: v[0] for k, v in self.query([metric], group_by).items()}


def _duckdb_client(warehouse: Path):
    """MetricFlow's SqlClient protocol over one DuckDB connection (dbt, in this process, keeps one open
    to the file: a second must have the same configuration, so not read-only)."""
    from metricflow.data_table.mf_table import MetricFlowDataTable
    from metricflow.protocols.sql_client import SqlEngine
    from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

    class Client:
        sql_engine_type = SqlEngine.DUCKDB
        sql_plan_renderer = DuckDbSqlPlanRenderer()

        def __init__(self):
            self.con = duckdb.connect(str(warehouse))

        def query(self, stmt, sql_bind_parameter_set=None):
            cursor = self.con.execute(stmt)
            columns = [d[0] for d in cursor.description]
            return MetricFlowDataTable.create_from_rows(column_names=columns, rows=cursor.fetchall())

        def execute(self, stmt, sql_bind_parameter_set=None):
            self.con.execute(stmt)

        def dry_run(self, stmt, sql_bind_parameter_set=None):
            self.con.execute(f"explain {stmt}")

        def close(self):
            self.con.close()

        def render_bind_parameter_key(self, bind_parameter_key):
            return f"${bind_parameter_key}"

    return Client()


def _plain(value):
    """Dates as dates (MetricFlow returns metric_time as a midnight timestamp), numbers as they are."""
    return value.date() if isinstance(value, datetime) else value


def mart(warehouse: Path, sql: str, keys: int) -> dict[tuple, tuple]:
    """Rows of `sql` keyed by their first `keys` columns."""
    with duckdb.connect(str(warehouse)) as con:
        return {tuple(r[:keys]): tuple(r[keys:]) for r in con.execute(sql).fetchall()}


def differences(got: dict, want: dict, tolerance: float = 1e-9) -> list[str]:
    """Where two {key: values} maps differ: a key on one side only, or a value off by more than
    `tolerance` (absolute; a null equals only a null)."""
    out = [f"{k}: MetricFlow has no row" for k in sorted(want.keys() - got.keys(), key=str)]
    out += [f"{k}: MetricFlow has a row the mart lacks" for k in sorted(got.keys() - want.keys(), key=str)]
    for k in sorted(got.keys() & want.keys(), key=str):
        for g, w in zip(_tuple(got[k]), _tuple(want[k]), strict=True):
            if (g is None) != (w is None) or (w is not None and not _close(g, w, tolerance)):
                out.append(f"{k}: MetricFlow {g!r}, mart {w!r}")
    return out


def _tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def _close(got, want, tolerance: float) -> bool:
    if isinstance(want, (int, float, Decimal)):
        return math.isclose(float(got), float(want), rel_tol=1e-12, abs_tol=tolerance)
    return got == want


def build_simulated_brand(root: Path) -> tuple[Path, Path]:
    """A small simulated brand (150 customers over 45 landing days, with a year of history before
    them) loaded, resolved and built up to every model the semantic layer reads; returns the
    warehouse and the dbt target folder holding its semantic manifest. 30-45 s on this 2-core machine
    with little else running (load, two dbt builds, identity)."""
    from identity.warehouse import resolve_identities
    from ingestion.contracts import CONTRACTS
    from ingestion.load.daily import load_range
    from ingestion.load.loader import ensure_raw_schema
    from orchestration.settings import identity_rules
    from simulator import simulate

    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    simulate(landing, customers=150, days=45, seed=11, end_date=date(2026, 10, 31))
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_schema(con)
        for contract in CONTRACTS.values():
            load_range(con, landing, contract, date(2000, 1, 1), date(2026, 10, 31), SALT)
    models = ["build", "--resource-type", "model", "--resource-type", "seed", "--quiet"]
    identity_inputs = ["+int_identity__nodes", "+int_identity__links"]
    result = run_dbt(root, warehouse, [*models, "--select", *identity_inputs])
    assert result.success, result.exception or failures(result)
    with duckdb.connect(str(warehouse)) as con:
        resolve_identities(con, **identity_rules(), secret=SALT)
    read = ["+semantic_model:*", "+metricflow_time_spine"]
    result = run_dbt(root, warehouse, [*models, "--select", *read, "--exclude", *identity_inputs])
    assert result.success, result.exception or failures(result)
    assert json.loads((root / "target" / "semantic_manifest.json").read_text(encoding="utf-8"))["metrics"]
    return warehouse, root / "target"
