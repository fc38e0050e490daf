"""What bi/superset/check.py asks of the imported dashboard, through Superset's REST API.

Every chart on the dashboard must return rows from the published copy. Two figures are also read
from the published copy by DuckDB directly (not through Superset's SQL) and must agree with the
charts: the reachable customers' big number and the daily net revenue line's total.
"""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

from api import Superset

DASHBOARD_SLUG = "siyu-operations"
# chart (its bundle file's uuid) -> (figure the chart's rows add up to, the same figure in SQL)
CROSS_CHECKS = {
    "6e6593dd-5236-4c83-9b3f-e00ffacf3359": (
        "reachable_customers",
        "select count(*) filter (where is_reachable) from marts.user_assets",
    ),
    "96161234-615b-4b27-9b3d-2ec322a7ae86": (
        "sum_net_revenue",
        "select sum(net_revenue) from marts.daily_kpis",
    ),
}
_READ = (
    "import duckdb, sys\n"
    "con = duckdb.connect(sys.argv[1], read_only=True)\n"
    "print(con.execute(sys.argv[2]).fetchall()[0][0])\n"
)


def _direct(python: Path, published: Path, sql: str) -> Decimal:
    """One figure from the published copy, by the Superset virtualenv's own DuckDB."""
    out = subprocess.run([str(python), "-c", _READ, str(published), sql],
                         check=True, capture_output=True, text=True).stdout
    return Decimal(out.strip())


def charts_return_rows(client: Superset, expected: int, python: Path, published: Path) -> list:
    """(chart, viz type, rows) for each chart on the dashboard; fails on a chart without rows."""
    on_dashboard = {c["slice_name"] for c in client.dashboard_charts(DASHBOARD_SLUG)}
    charts = [c for c in client.charts() if c["slice_name"] in on_dashboard]
    if len(charts) != expected or len(on_dashboard) != expected:
        raise SystemExit(f"expected {expected} charts on the dashboard, found {len(charts)}")
    found, mismatches = [], []
    for chart in charts:
        data = client.chart_data(chart["id"])
        found.append((chart["slice_name"], chart["viz_type"], len(data)))
        if chart["uuid"] in CROSS_CHECKS:
            column, sql = CROSS_CHECKS[chart["uuid"]]
            shown = sum(Decimal(str(row[column] or 0)) for row in data)
            direct = _direct(python, published, sql)
            print(f"  {chart['slice_name']}: {shown} in Superset, {direct} in DuckDB")
            if abs(shown - direct) > Decimal("0.005"):
                mismatches.append(chart["slice_name"])
    for name, viz, rows in sorted(found, key=lambda f: f[0]):
        print(f"  {rows:6d} rows  {viz:24s} {name}")
    empty = [name for name, _, rows in found if rows == 0]
    if empty or mismatches:
        raise SystemExit(f"charts without rows: {empty}; figures not the marts': {mismatches}")
    return found
