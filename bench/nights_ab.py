"""Two checkouts' ordinary nights on one simulated brand, alternated: how a change moves the night.

    .venv/bin/python bench/nights_ab.py --old /path/to/clone-at-A --new . --data /big/disk --reps 3

Each checkout (its own .venv, `make install` done) builds its own base warehouse from every
simulated day but the last; then, `--reps` times and in alternating order, each runs the last day
as a night over its base restored (warehouse and Dagster home copied back from a pristine copy, at
the same path: a warehouse at another path makes dbt parse again and the seeds be rebuilt, ~8 s of
a demo night), measured by bench/measure.py.
The two nights' published marts are compared by digest at the end (they must be equal: same data).
Result: <results>/nights_ab-<N>c-<old commit>-<new commit>.json, a row per night with its steps.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

# sibling modules: bench/ is on sys.path when run
from cost_curve import RESULTS, link_days, row_env, simulated, steps
from measure import measured

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "e2e"))
from marts_digest import differences, marts_digest  # noqa: E402


def commit(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=Path, required=True, help="a checkout with its .venv")
    ap.add_argument("--new", type=Path, required=True, help="a checkout with its .venv")
    ap.add_argument("--data", type=Path, required=True, help="folder for the brand, bases and nights")
    ap.add_argument("--customers", type=int, default=2000)
    ap.add_argument("--days", type=int, default=61, help="simulated days: the last is the night")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--duckdb-memory", default="4GB")
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args()
    codes = {"old": args.old.resolve(), "new": args.new.resolve()}
    commits = {code: commit(repo) for code, repo in codes.items()}
    salt = "nights-ab-" + "0" * 32
    sim = simulated(args.data, args.customers, args.days, args.seed)
    days = sorted({date.fromisoformat(p.name) for p in sim.glob("*/*/*")
                   if p.is_dir() and not p.parts[-3].startswith("_")})
    for code, repo in codes.items():
        work, pristine = args.data / f"work-{code}", args.data / f"base-{commits[code]}"
        shutil.rmtree(work, ignore_errors=True)
        if not (pristine / "warehouse.duckdb").is_file():
            shutil.rmtree(pristine, ignore_errors=True)
            link_days(sim, work / "landing", days[0], days[-2])
            run = measured([str(repo / ".venv" / "bin" / "siyu"), "run"],
                           row_env(work, salt, args.duckdb_memory), args.data / f"base-{code}.log")
            print(f"{code} base ({commits[code]}): {run['wall_s']:.1f} s", flush=True)
            pristine.mkdir(parents=True)
            shutil.copy(work / "warehouse.duckdb", pristine / "warehouse.duckdb")
            shutil.copytree(work / "dagster", pristine / "dagster")
        else:
            link_days(sim, work / "landing", days[0], days[-2])
    rows = []
    for rep in range(args.reps):
        for code in (["old", "new"] if rep % 2 == 0 else ["new", "old"]):
            work, pristine = args.data / f"work-{code}", args.data / f"base-{commits[code]}"
            for name in ("warehouse.duckdb", "warehouse.duckdb.wal", "warehouse.published.duckdb"):
                (work / name).unlink(missing_ok=True)
            shutil.rmtree(work / "dagster", ignore_errors=True)
            shutil.copy(pristine / "warehouse.duckdb", work / "warehouse.duckdb")
            shutil.copytree(pristine / "dagster", work / "dagster")
            for folder in work.glob(f"landing/*/*/{days[-1]}"):
                shutil.rmtree(folder)
            link_days(sim, work / "landing", days[-1], days[-1])
            run = measured([str(codes[code] / ".venv" / "bin" / "siyu"), "run"],
                           row_env(work, salt, args.duckdb_memory), work / "night.log")
            row = {"code": code, "commit": commits[code], "rep": rep, "wall_s": round(run["wall_s"], 1),
                   "cpu_s": round(run["cpu_s"], 1), "load_before": run["load_before"],
                   "steps_s": steps(work / "night.log")}
            rows.append(row)
            print(json.dumps(row), flush=True)
    digests = {code: marts_digest(args.data / f"work-{code}" / "warehouse.published.duckdb")
               for code in codes}
    unequal = differences(digests["old"], digests["new"])
    print(f"marts: {len(digests['new'])}, unequal: {unequal or 'none'}", flush=True)
    out = args.results / f"nights_ab-{args.customers}c-{commits['old']}-{commits['new']}.json"
    out.write_text(json.dumps({"customers": args.customers, "days": args.days, "seed": args.seed,
                               "night": str(days[-1]), "commits": commits, "nights": rows,
                               "marts": len(digests["new"]), "unequal_marts": unequal}, indent=1))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
