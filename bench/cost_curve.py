"""Cost curve of a night (issue 14, item 6): one simulated brand, for each history length a full
refresh (`siyu run` on a fresh warehouse over the whole landing) and then one incremental night
(`siyu run` again after one more day lands), each timed in a process of its own.

    .venv/bin/python bench/cost_curve.py --data /big/disk --history 30          # one row
    .venv/bin/python bench/cost_curve.py --data /big/disk --history 30 90 180 365
    .venv/bin/python bench/cost_curve.py --data /big/disk --customers 1000000 --sim-days 61 --history 60
                                                              # the night at 1 M customers (60 days)
    .venv/bin/python bench/cost_curve.py --data /big/disk --customers 1000000 --sim-days 61 --history 59 \
        --nights 2 --keep-base      # an ordinary night, then the snapshot night
    .venv/bin/python bench/cost_curve.py --table                                # the rows measured so far

The brand is simulated once, `--sim-days` days ending 2026-10-31 (default 366: the longest history
plus the night), under <data>/sim/. A history of K days is the K days before the last one: their
day folders are hard-linked into a landing of the row's own (<data>/c<N>-h<K>/), so 30 days is the
suffix of 365 days of the same brand, and the night adds the last day's folders — a day with every
weekly snapshot (the simulator delivers them on the last day), ~7× an ordinary day's rows: the
heaviest kind of night. With `--nights N` the history ends N days before the last and the last N days
land one night each, in order: `--nights 2` measures an ordinary night (the day before, no snapshot
in the simulator's schedule) and then the snapshot night. `--keep-base` keeps a copy of the warehouse
and Dagster home as the full refresh left them (<row>/base/), so a night can be taken again on other
code without the full refresh. Each row is one command, so it can be taken again after the pipeline
changes.

Measured for each `siyu run`: wall time, CPU-seconds (user + system, with every child), the largest
process's peak RSS (wait4) and the peak of the whole process tree's summed RSS (sampled every 0.5 s
from /proc), raw rows and files loaded (raw._load_log), the 1-minute load average before and during
the run. Results: bench/results/cost_curve-<N>c-<K>d.json. The warehouse's DuckDB memory is capped
(`--duckdb-memory`, SIYU_DUCKDB_MEMORY_LIMIT: DuckDB takes 80 % of RAM by default), the phone salt
is a random one kept in <data>/phone_salt, DAGSTER_HOME is the row's folder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
from measure import measured  # a sibling module: bench/ is on sys.path when run

from simulator import simulate

END = date(2026, 10, 31)
RESULTS = Path(__file__).resolve().parent / "results"
SIYU = Path(sys.executable).parent / "siyu"
# `siyu run` prints a line a step: "[  98.2s] dbt: 1 intermediate, 8 seeds; 48 tests passed (76 s)",
# or for work begun ahead "[   0.2s] landing: … (9 s, begun as the night started)"
STEP = re.compile(r"^\[\s*[\d.]+s\] ([\w ]+?): .*\((\d+) s(?:, [^)]*)?\)\s*$")


def simulated(data: Path, customers: int, days: int, seed: int) -> Path:
    """The brand's landing of `days` days, simulated once (a finished one has its manifest)."""
    out = data / "sim" / f"c{customers}-d{days}-s{seed}"
    if not (out / "_truth" / "manifest.json").is_file():
        print(f"simulating {customers:,} customers × {days} days into {out}", flush=True)
        started = time.perf_counter()
        simulate(out, customers=customers, days=days, seed=seed, end_date=END)
        print(f"  simulated in {time.perf_counter() - started:,.0f} s", flush=True)
    return out


def link_days(sim: Path, landing: Path, first: date, last: date) -> int:
    """Hard-link every day folder of [first, last] into `landing` (the files are never written to)."""
    linked = 0
    for folder in sorted(sim.glob("*/*/*")):
        if folder.parts[-3].startswith("_") or not folder.is_dir():
            continue
        if first <= date.fromisoformat(folder.name) <= last:
            target = landing / folder.relative_to(sim)
            target.mkdir(parents=True, exist_ok=True)
            for f in folder.iterdir():
                os.link(f, target / f.name)
                linked += 1
    return linked


def row_env(folder: Path, salt: str, duckdb_memory: str) -> dict:
    """`siyu run`'s environment for a row's folder: its landing, warehouse and Dagster home."""
    return os.environ | {
        "SIYU_LANDING_DIR": str(folder / "landing"), "SIYU_WAREHOUSE": str(folder / "warehouse.duckdb"),
        "SIYU_PHONE_SALT": salt, "DAGSTER_HOME": str(folder / "dagster"),
        "SIYU_DUCKDB_MEMORY_LIMIT": duckdb_memory,
        "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "GX_ANALYTICS_ENABLED": "False",
    }


def measured_run(env: dict, log: Path) -> dict:
    """`siyu run` in a process of its own, with its resources and the machine's load."""
    started_at = datetime.now().astimezone()
    run = measured([str(SIYU), "run"], env, log)
    with duckdb.connect(env["SIYU_WAREHOUSE"], read_only=True) as con:
        files, rows, days = con.execute(
            "select count(*), coalesce(sum(rows_loaded), 0), count(distinct business_date) "
            "from raw._load_log where loaded_at >= ?", [started_at]).fetchone()
        tables = con.execute("select table_name from information_schema.tables where table_schema = 'raw' "
                             "and not starts_with(table_name, '_')").fetchall()
        raw_rows = sum(con.execute(f'select count(*) from raw."{t}"').fetchone()[0] for (t,) in tables)
    return {**{k: run[k] for k in ("wall_s", "cpu_s", "peak_rss_largest_mb", "peak_rss_tree_mb")},
            "files_loaded": files, "rows_loaded": int(rows), "days_loaded": days, "raw_rows_after": raw_rows,
            "load_before": run["load_before"], "load_during": run["load_during_mean"],
            "warehouse_mb": round(Path(env["SIYU_WAREHOUSE"]).stat().st_size / 2**20), "log": str(log),
            "steps_s": steps(log)}


def steps(log: Path) -> list[list]:
    """[step, seconds] in the order the run printed them (dbt runs several times)."""
    return [[m[1], int(m[2])] for line in log.read_text().splitlines() if (m := STEP.match(line))]


def row(args, data: Path, history: int) -> dict:
    sim = simulated(data, args.customers, args.sim_days, args.seed)
    if history + args.nights > args.sim_days or args.nights < 1:
        raise SystemExit(f"--history {history} --nights {args.nights} needs --sim-days ≥ "
                         f"{history + max(args.nights, 1)} (one more day for each night)")
    folder = data / f"c{args.customers}-h{history}"
    shutil.rmtree(folder, ignore_errors=True)
    landing = folder / "landing"
    salt_file = data / "phone_salt"
    if not salt_file.is_file():
        salt_file.write_text(secrets.token_urlsafe(48))
    env = row_env(folder, salt_file.read_text().strip(), args.duckdb_memory)
    nights = [END - timedelta(days=n) for n in range(args.nights - 1, -1, -1)]
    first, last = nights[0] - timedelta(days=history), nights[0] - timedelta(days=1)
    result = {"customers": args.customers, "history_days": history, "simulated_days": args.sim_days,
              "seed": args.seed, "history": [first.isoformat(), last.isoformat()],
              "nights_dates": [n.isoformat() for n in nights], "duckdb_memory_limit": args.duckdb_memory,
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                       text=True, cwd=Path(__file__).parent).stdout.strip(),
              "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
              "cores": os.cpu_count(), "note": args.note}
    result["history_files"] = link_days(sim, landing, first, last)
    print(f"{history} days ({result['history_files']:,} files): full refresh …", flush=True)
    result["full_refresh"] = measured_run(env, folder / "full_refresh.log")
    if args.keep_base:
        keep_base(folder)
    result["nights"] = []
    for night in nights:
        files = link_days(sim, landing, night, night)
        print(f"{history} days: the incremental night of {night} ({files} files) …", flush=True)
        log = folder / ("night.log" if night == END else f"night-{night}.log")
        result["nights"].append({"date": night.isoformat(), "files": files, **measured_run(env, log)})
    result["night"], result["night_files"] = result["nights"][-1], result["nights"][-1]["files"]
    args.results.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.nights}n" if args.nights > 1 else ""
    path = args.results / f"cost_curve-{args.customers}c-{history}d{suffix}.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    if not args.keep:
        shutil.rmtree(folder / "landing")
        for f in folder.glob("*.duckdb*"):  # the warehouses, and DuckDB's spill folder beside them
            shutil.rmtree(f) if f.is_dir() else f.unlink()
    return result


def keep_base(folder: Path) -> None:
    """The warehouse (and its WAL, should one be left) and the Dagster home after the full refresh,
    copied to <folder>/base/."""
    base = folder / "base"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir()
    for f in folder.glob("warehouse.duckdb*"):
        if f.is_file():
            shutil.copy2(f, base / f.name)
    if (folder / "dagster").is_dir():
        shutil.copytree(folder / "dagster", base / "dagster")


def table(results: Path) -> None:
    rows = [json.loads(p.read_text()) for p in sorted(results.glob("cost_curve-*.json"))]
    print(f"{'customers':>10} {'days':>5} {'raw rows':>11} | {'full: wall':>10} {'CPU-s':>7} {'peak MB':>8} "
          f"{'load':>9} | {'night: wall':>11} {'CPU-s':>7} {'peak MB':>8} {'rows':>9} {'load':>9}")
    for r in sorted(rows, key=lambda r: (r["customers"], r["history_days"], len(r.get("nights", [0])))):
        f = r["full_refresh"]
        for i, n in enumerate(r.get("nights") or [r["night"]]):
            full = (f"{f['wall_s']:>10,.0f} {f['cpu_s']:>7,.0f} {f['peak_rss_tree_mb']:>8,} "
                    f"{f['load_before']:>4}/{f['load_during']:<4}") if i == 0 else " " * 35
            print(f"{r['customers']:>10,} {r['history_days']:>5} {f['raw_rows_after']:>11,} | {full} | "
                  f"{n['wall_s']:>11,.0f} {n['cpu_s']:>7,.0f} {n['peak_rss_tree_mb']:>8,} "
                  f"{n['rows_loaded']:>9,} {n['load_before']:>4}/{n['load_during']:<4}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parent / "out" / "cost_curve",
                    help="where the simulation, landings and warehouses go (tens of GB at 250,000 customers)")
    ap.add_argument("--customers", type=int, default=250_000)
    ap.add_argument("--history", type=int, nargs="+", default=[30, 90, 180, 365])
    ap.add_argument("--sim-days", type=int, default=366, help="days simulated: the longest history + 1")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--duckdb-memory", default="6GB", help="SIYU_DUCKDB_MEMORY_LIMIT for every DuckDB")
    ap.add_argument("--note", default="", help="kept with the row: what the code measured differs by")
    ap.add_argument("--results", type=Path, default=RESULTS, help="where each row's JSON goes")
    ap.add_argument("--nights", type=int, default=1, help="the last N days land one night each, in order")
    ap.add_argument("--keep", action="store_true", help="keep each row's landing and warehouse")
    ap.add_argument("--keep-base", action="store_true", help="copy the warehouse after the full refresh")
    ap.add_argument("--table", action="store_true", help="print the rows measured so far and stop")
    args = ap.parse_args()
    if not args.table:
        for history in args.history:
            row(args, args.data.resolve(), history)
    table(args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
