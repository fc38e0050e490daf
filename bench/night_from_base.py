"""One incremental night again, from a base `bench/cost_curve.py --keep-base` kept, with this checkout's
code: the way to compare code on a long history without its full refresh each time.

    .venv/bin/python bench/night_from_base.py --data /big/disk --history 365 --tag head-1
    .venv/bin/python bench/night_from_base.py --data /big/disk --customers 1000000 --sim-days 61 \
        --history 59 --tag head-1

The row's folder (<data>/c<N>-h<K>/, as cost_curve.py names it) gets a fresh copy of base/ (warehouse
and Dagster home), a landing of the K history days hard-linked from the simulated brand, then the
night's day (the first day after the history). Before the timing, the copy records this checkout's
incremental-code fingerprints and seeds as built (orchestration/model_code.py, seeds.py): otherwise a
base built by other code makes the night a full refresh of every incremental model whose SQL or macros
differ. So the night is the incremental night this code would run over tables an earlier code built
(the same rows: tests/e2e/test_incremental_nights.py holds every model to its full refresh). The
printed "changed" list is what the record replaced. Result: <results>/night_from_base-<N>c-<K>d-<tag>.json,
and the dbt run results of the night beside it (<tag>.dbt/), for the node times.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

# a sibling module: bench/ is on sys.path when run
from cost_curve import END, RESULTS, link_days, measured_run, row_env

REPO = Path(__file__).resolve().parent.parent
RECORD = """
import json, duckdb, sys
from orchestration import model_code, seeds
from orchestration.dbtparse import parse_dbt_project
from orchestration.settings import DBT_TARGET_DIR
parse_dbt_project()
manifest = json.loads((DBT_TARGET_DIR / "manifest.json").read_bytes())
with duckdb.connect(sys.argv[1]) as con:
    fingerprints = model_code.code_fingerprints(manifest)
    print("changed", model_code.changed_models(con, fingerprints), flush=True)
    model_code.record(con, fingerprints)
    seeds.record_built(con, manifest)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="cost_curve.py's --data")
    ap.add_argument("--customers", type=int, default=250_000)
    ap.add_argument("--history", type=int, required=True)
    ap.add_argument("--sim-days", type=int, default=367, help="the simulated brand's days, as it was made")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--nights-after", type=int, default=2,
                    help="the base's --nights: its history ends that many days before the last one")
    ap.add_argument("--base", default="base", help="the kept base's folder within the row's")
    ap.add_argument("--duckdb-memory", default="6GB")
    ap.add_argument("--tag", required=True, help="names this run's result")
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args()

    sim = args.data / "sim" / f"c{args.customers}-d{args.sim_days}-s{args.seed}"
    folder = args.data / f"c{args.customers}-h{args.history}"
    base = folder / args.base
    if not (base / "warehouse.duckdb").is_file() or not (sim / "_truth" / "manifest.json").is_file():
        raise SystemExit(f"needs {base}/warehouse.duckdb and {sim}: run cost_curve.py --keep-base first")
    night = END - timedelta(days=args.nights_after - 1)
    for name in ("landing", "dagster"):
        shutil.rmtree(folder / name, ignore_errors=True)
    for f in folder.glob("warehouse*.duckdb*"):  # this script's own copies of the base (and spill)
        shutil.rmtree(f) if f.is_dir() else f.unlink()
    shutil.copy2(base / "warehouse.duckdb", folder / "warehouse.duckdb")
    shutil.copytree(base / "dagster", folder / "dagster")
    env = row_env(folder, (args.data / "phone_salt").read_text().strip(), args.duckdb_memory)
    link_days(sim, folder / "landing", night - timedelta(days=args.history), night - timedelta(days=1))
    subprocess.run([sys.executable, "-c", RECORD, str(folder / "warehouse.duckdb")], env=env, cwd=REPO,
                   check=True)
    files = link_days(sim, folder / "landing", night, night)
    print(f"the night of {night} ({files} files) …", flush=True)
    result = measured_run(env, folder / f"night-{args.tag}.log")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=REPO).stdout.strip()
    result = {"customers": args.customers, "history_days": args.history, "night": night.isoformat(),
              "files": files, "commit": commit, "tag": args.tag, **result}
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"night_from_base-{args.customers}c-{args.history}d-{args.tag}.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    shutil.copytree(folder / "logs" / "dbt", args.results / f"{out.stem}.dbt", dirs_exist_ok=True)
    print(f"{args.tag}: {result['wall_s']} s wall, {result['cpu_s']} CPU-s, steps {result['steps_s']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
