"""RFM in dbt vs an analyst's pandas RFM, side by side on the same purchases, one snapshot each.

    .venv/bin/python bench/rfm_vs_pandas.py [purchases=1000000] [buyers=600000] [repeats=3]

Synthetic purchases (customer_id, purchase_date, net_amount: int_purchases' shape) over 30 days of
one month, so the dbt models compute exactly one snapshot (the latest date; no month-end before it),
are written to a scratch warehouse as intermediate.int_purchases with int_calendar__bounds. dbt
then runs only the RFM models over them (`dbt run --select` leaves the refs' existing tables as they
are); each model's execution time comes from dbt's run_results.json (the time DuckDB spends, not
dbt's start-up). pandas: the same purchases read from the warehouse into a DataFrame, groupby, rank
and qcut into quintiles — read included, since the models read from the warehouse too. Each side is
repeated and the best time kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
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


def dbt(args: list[str], warehouse: Path, target: Path) -> list[dict]:
    env = os.environ | {"SIYU_WAREHOUSE": str(warehouse), "DO_NOT_TRACK": "1",
                        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "DBT_TARGET_PATH": str(target),
                        "DBT_LOG_PATH": str(target)}
    cmd = [str(Path(sys.executable).parent / "dbt"), *args, "--project-dir", str(DBT_PROJECT),
           "--profiles-dir", str(DBT_PROJECT), "--quiet"]
    subprocess.run(cmd, env=env, check=True)
    return json.loads((target / "run_results.json").read_text())["results"]


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


def main(purchases: int = 1_000_000, buyers: int = 600_000, repeats: int = 3) -> None:
    with tempfile.TemporaryDirectory(prefix="siyu-rfm-bench-") as tmp:
        warehouse, target = Path(tmp) / "warehouse.duckdb", Path(tmp) / "target"
        write_purchases(warehouse, purchases, buyers)
        dbt(["seed", "--select", *SEEDS], warehouse, target)
        best_models: dict[str, float] = {}
        for _ in range(repeats):
            results = dbt(["run", "--select", *RFM_MODELS], warehouse, target)
            for r in results:
                name = r["unique_id"].split(".")[-1]
                best_models[name] = min(best_models.get(name, float("inf")), r["execution_time"])
        pandas_best, customers = min(pandas_rfm(warehouse) for _ in range(repeats))
        with duckdb.connect(str(warehouse), read_only=True) as con:
            snapshots, scored = con.execute(
                "select count(distinct as_of_date), count(*) from marts.rfm_scores").fetchone()
    dbt_seconds = sum(best_models.values())
    print(f"{purchases:,} purchases, {customers:,} buyers, {snapshots} snapshot(s), {scored:,} scored rows")
    for name, seconds in best_models.items():
        print(f"  {name:32s} {seconds:6.2f} s")
    print(f"dbt RFM models: {dbt_seconds:.2f} s; pandas groupby + qcut: {pandas_best:.2f} s; "
          f"pandas / dbt = {pandas_best / dbt_seconds:.2f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
