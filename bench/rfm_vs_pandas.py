"""RFM in dbt vs an analyst's pandas RFM, side by side in one process on the same purchases, one snapshot.

    .venv/bin/python bench/rfm_vs_pandas.py [purchases=1000000] [buyers=600000] [repeats=5]

Synthetic purchases (customer_id, purchase_date, net_amount: int_purchases' shape) over 30 days of
one month, so the dbt models compute exactly one snapshot (the latest date; no month-end before it),
are written to a scratch warehouse as intermediate.int_purchases with int_calendar__bounds. In this
process, dbt (its Python API) then runs only the RFM models over them (`dbt run --select` leaves the
refs' tables as they are), and pandas reads the same purchases from the warehouse into a DataFrame,
groups, ranks and qcuts them into quintiles — read included, since the models read from the
warehouse too. The two alternate, `repeats` times each; each side's best run is kept.

dbt's side is the DuckDB time of its statements (from dbt's SQLQuery / SQLQueryStatus events, per
model: the statement that drops and creates its table or view, and the commits and catalog
queries around it), the figure to hold against pandas, which runs no framework; dbt's own node
time (run_results' execution_time: that plus dbt's Python for the materialization, ~0.02-0.05 s a
model) is printed beside it. Both sides are also
timed in CPU-seconds of this process (all its threads; the models run one after another), which
other jobs on the machine disturb less than wall time. The ratio is given for each side's best and,
since load comes and goes, for each pair of runs (a dbt run and the pandas run right after it).
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

from orchestration.warm import close_dbt_duckdb

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
        self.target, self.runner = target, dbtRunner(callbacks=[self._on_event])
        self.sql_seconds, self.sql_cpu, self.cpu_at_start = defaultdict(float), defaultdict(float), 0.0

    def _on_event(self, event) -> None:
        if event.info.name not in ("SQLQuery", "SQLQueryStatus") or not event.data.node_info.unique_id:
            return
        if event.info.name == "SQLQuery":
            self.cpu_at_start = time.process_time()
            return
        model = event.data.node_info.unique_id.split(".")[-1]
        self.sql_seconds[model] += event.data.elapsed
        self.sql_cpu[model] += time.process_time() - self.cpu_at_start

    def __call__(self, args: list[str]) -> dict[str, tuple[float, float, float]]:
        """model → (DuckDB seconds, DuckDB CPU-seconds, dbt node seconds) of one invocation."""
        self.sql_seconds.clear()
        self.sql_cpu.clear()
        result = self.runner.invoke([*args, "--project-dir", str(DBT_PROJECT), "--profiles-dir",
                                     str(DBT_PROJECT), "--target-path", str(self.target),
                                     "--log-path", str(self.target), "--quiet"])
        if not result.success:
            raise SystemExit(f"dbt {args[0]} failed: {result.exception or result.result}")
        close_dbt_duckdb()
        return {r.node.name: (self.sql_seconds[r.node.name], self.sql_cpu[r.node.name], r.execution_time)
                for r in result.result.results}


def pandas_rfm(warehouse: Path) -> tuple[float, float, int]:
    """The analyst's RFM on the warehouse's purchases, timed from opening the file: (seconds,
    CPU-seconds, customers scored)."""
    started, cpu = time.perf_counter(), time.process_time()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        customers = analyst_rfm(con)
    return time.perf_counter() - started, time.process_time() - cpu, customers


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
        runs, pandas_runs = [], []
        for _ in range(repeats):
            runs.append(dbt(["run", "--select", *RFM_MODELS]))
            *timings, customers = pandas_rfm(warehouse)
            pandas_runs.append(timings)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            snapshots, scored = con.execute(
                "select count(distinct as_of_date), count(*) from marts.rfm_scores").fetchone()
    totals = [[sum(model[i] for model in run.values()) for i in range(3)] for run in runs]
    best = min(range(repeats), key=lambda i: totals[i][0])
    dbt_wall, dbt_cpu = totals[best][0], min(cpu for _, cpu, _ in totals)
    pandas_wall, pandas_cpu = (min(t[i] for t in pandas_runs) for i in range(2))
    print(f"{purchases:,} purchases, {customers:,} buyers, {snapshots} snapshot(s), {scored:,} scored rows; "
          f"{repeats} runs a side, DuckDB threads: {duckdb_threads()}")
    print(f"  {'model (best run)':32s} {'DuckDB':>7s} {'CPU':>6s} {'dbt node':>9s}")
    for name, (sql, cpu, node) in runs[best].items():
        print(f"  {name:32s} {sql:6.2f}s {cpu:5.2f}s {node:8.2f}s")
    print(f"best: dbt RFM models {dbt_wall:.2f} s of DuckDB time ({totals[best][2]:.2f} s of dbt node time), "
          f"pandas groupby + qcut {pandas_wall:.2f} s: pandas / dbt = {pandas_wall / dbt_wall:.2f}; "
          f"CPU-seconds {dbt_cpu:.2f} vs {pandas_cpu:.2f}: {pandas_cpu / dbt_cpu:.2f}")
    print("pairs (dbt s, pandas s, pandas / dbt): " + "; ".join(
        f"{d[0]:.2f}, {p[0]:.2f}, {p[0] / d[0]:.2f}" for d, p in zip(totals, pandas_runs, strict=True)))


def duckdb_threads() -> str:
    with duckdb.connect() as con:
        return str(con.execute("select current_setting('threads')").fetchone()[0])


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
