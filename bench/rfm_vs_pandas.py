"""RFM in dbt vs an analyst's pandas RFM, side by side in one process on the same purchases, one snapshot.

    .venv/bin/python bench/rfm_vs_pandas.py [purchases=1000000] [buyers=600000] [repeats=5]

Synthetic purchases (customer_id, purchase_date, net_amount: int_purchases' shape) over 30 days of
one month, so the dbt models compute exactly one snapshot (the latest date; no month-end before it),
are written to a scratch warehouse as intermediate.int_purchases with int_calendar__bounds. In this
process, dbt (its Python API) then runs only the RFM models over them (`dbt run --select` leaves the
refs' tables as they are), and pandas reads the same purchases from the warehouse into a DataFrame,
groups, ranks and qcuts them into quintiles — read included, since the models read from the
warehouse too. The two alternate, `repeats` times each; each side's best run is kept.

dbt's side is the DuckDB time of its statements (dbt's SQLQueryStatus events, per model: the
CREATE … AS and the renames, commits and catalog queries around it), the figure to hold against
pandas, which runs no framework. dbt's own node time (run_results' execution_time: that plus dbt's
Python for the materialization, ~0.1 s a model) is printed beside it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT = ROOT / "dbt_project"
RFM_MODELS = ["int_rfm__snapshot_dates", "int_rfm__customer_snapshots", "int_rfm__scores",
              "int_rfm__segments", "rfm_scores"]
SEEDS = ["rfm_segments_cn", "rfm_segments_en"]


def write_purchases(path: Path, purchases: int, buyers: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "customer_id": np.char.add("c", rng.integers(0, buyers, purchases).astype(str)),
        "purchase_date": pd.Timestamp("2026-10-01") + pd.to_timedelta(rng.integers(0, 30, purchases), "D"),
        "net_amount": np.round(rng.gamma(2.0, 90.0, purchases), 2),
    })
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists intermediate")
        con.register("f", frame)
        con.execute("create or replace table intermediate.int_purchases as select customer_id, "
                    "cast(purchase_date as date) as purchase_date, "
                    "cast(net_amount as decimal(18, 2)) as net_amount from f")
        con.execute("create or replace table intermediate.int_calendar__bounds as "
                    "select min(purchase_date) as first_date, max(purchase_date) as last_date "
                    "from intermediate.int_purchases")


class InProcessDbt:
    """dbt's Python API in this process, summing each model's DuckDB statement time."""

    def __init__(self, warehouse: Path, target: Path):
        from dbt.cli.main import dbtRunner

        os.environ.update({"SIYU_WAREHOUSE": str(warehouse), "DO_NOT_TRACK": "1",
                           "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"})
        self.target, self.sql_seconds = target, defaultdict(float)
        self.runner = dbtRunner(callbacks=[self._on_event])

    def _on_event(self, event) -> None:
        if event.info.name == "SQLQueryStatus" and event.data.node_info.unique_id:
            self.sql_seconds[event.data.node_info.unique_id.split(".")[-1]] += event.data.elapsed

    def __call__(self, args: list[str]) -> dict[str, tuple[float, float]]:
        """model → (DuckDB seconds, dbt node seconds) of one invocation."""
        self.sql_seconds.clear()
        result = self.runner.invoke([*args, "--project-dir", str(DBT_PROJECT), "--profiles-dir",
                                     str(DBT_PROJECT), "--target-path", str(self.target),
                                     "--log-path", str(self.target), "--quiet"])
        if not result.success:
            raise SystemExit(f"dbt {args[0]} failed: {result.exception or result.result}")
        close_dbt_duckdb()
        return {r.node.name: (self.sql_seconds[r.node.name], r.execution_time)
                for r in result.result.results}


def close_dbt_duckdb() -> None:
    """dbt-duckdb keeps its DuckDB database open after an invocation; close it, so that pandas'
    read-only connection can open the file (DuckDB refuses a second configuration per process)."""
    import gc

    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    if DuckDBConnectionManager._ENV is not None:
        DuckDBConnectionManager._ENV.close()
    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def pandas_rfm(warehouse: Path) -> tuple[float, int]:
    """The analyst's RFM on the warehouse's purchases, timed from opening the file."""
    started = time.perf_counter()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        customers = analyst_rfm(con)
    return time.perf_counter() - started, customers


def analyst_rfm(con) -> int:
    """RFM as an analyst writes it: purchases into pandas, groupby, quintiles with qcut (also
    bench/marts_build.py's yardstick). Returns the customers scored."""
    purchases = con.execute(
        "select customer_id, purchase_date, net_amount from intermediate.int_purchases"
    ).df()
    as_of = purchases["purchase_date"].max()
    rfm = purchases.groupby("customer_id").agg(
        last=("purchase_date", "max"), frequency=("purchase_date", "size"), monetary=("net_amount", "sum")
    )
    rfm["recency"] = (pd.Timestamp(as_of) - pd.to_datetime(rfm["last"])).dt.days
    rfm["r"] = pd.qcut(rfm["recency"].rank(method="first"), 5, labels=[5, 4, 3, 2, 1])
    rfm["f"] = pd.qcut(rfm["frequency"].rank(method="first"), 5, labels=[1, 2, 3, 4, 5])
    rfm["m"] = pd.qcut(rfm["monetary"].astype(float).rank(method="first"), 5, labels=[1, 2, 3, 4, 5])
    return len(rfm)


def main(purchases: int = 1_000_000, buyers: int = 600_000, repeats: int = 5) -> None:
    with tempfile.TemporaryDirectory(prefix="siyu-rfm-bench-") as tmp:
        warehouse = Path(tmp) / "warehouse.duckdb"
        write_purchases(warehouse, purchases, buyers)
        dbt = InProcessDbt(warehouse, Path(tmp) / "target")
        dbt(["seed", "--select", *SEEDS])
        runs, pandas_times = [], []
        for _ in range(repeats):
            runs.append(dbt(["run", "--select", *RFM_MODELS]))
            seconds, customers = pandas_rfm(warehouse)
            pandas_times.append(seconds)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            snapshots, scored = con.execute(
                "select count(distinct as_of_date), count(*) from marts.rfm_scores").fetchone()
    best = min(runs, key=lambda run: sum(sql for sql, _ in run.values()))
    dbt_seconds, pandas_best = sum(sql for sql, _ in best.values()), min(pandas_times)
    print(f"{purchases:,} purchases, {customers:,} buyers, {snapshots} snapshot(s), {scored:,} scored rows; "
          f"best of {repeats}, DuckDB threads: {duckdb_threads()}")
    print(f"  {'model':32s} {'DuckDB':>7s} {'dbt node':>9s}")
    for name, (sql, node) in best.items():
        print(f"  {name:32s} {sql:6.2f}s {node:8.2f}s")
    print(f"dbt RFM models: {dbt_seconds:.2f} s of DuckDB time ({sum(n for _, n in best.values()):.2f} s "
          f"of dbt node time); pandas groupby + qcut: {pandas_best:.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in pandas_times)}); "
          f"pandas / dbt = {pandas_best / dbt_seconds:.2f}")
    print("dbt runs (DuckDB s): " + ", ".join(f"{sum(s for s, _ in run.values()):.2f}" for run in runs))


def duckdb_threads() -> str:
    with duckdb.connect() as con:
        return str(con.execute("select current_setting('threads')").fetchone()[0])


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
