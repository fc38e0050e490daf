"""Benchmark the simulator at scale: wall time, peak RSS and output size for N customers.

    .venv/bin/python bench/simulate_1m.py                      # 1,000,000 customers × 60 days
    .venv/bin/python bench/simulate_1m.py --customers 100000   # a tenth, to extrapolate

Memory should not grow with N: people are generated in chunks of SimConfig.chunk_size and records
are appended to files every SimConfig.flush_items records.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from simulator import simulate


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", help="landing folder (default: a temporary folder, removed afterwards)")
    args = ap.parse_args()
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="siyu-sim-"))
    start = time.perf_counter()
    rss = []

    def progress(label: str, done: int, total: int) -> None:
        rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        elapsed = time.perf_counter() - start
        print(f"  {done:>9,}/{total:,} {label}  {elapsed:7.1f} s  peak RSS {rss[-1]:6.0f} MB",
              file=sys.stderr, flush=True)

    try:
        summary = simulate(out, customers=args.customers, days=args.days, seed=args.seed,
                           end_date=date(2026, 10, 31), progress=progress)
        wall = time.perf_counter() - start
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    finally:
        if not args.out:
            shutil.rmtree(out, ignore_errors=True)
    rows = sum(summary["rows_per_entity"].values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"customers        {args.customers:,} × {args.days} days")
    speed = f"{args.customers / wall:,.0f} customers/s, {rows / wall:,.0f} rows/s"
    print(f"wall time        {wall:,.1f} s  ({speed})")
    print(f"peak RSS         {peak:,.0f} MB  (after the first chunk: {rss[0] if rss else 0:,.0f} MB)")
    print(f"landing rows     {rows:,} in {summary['files']:,} files, {size / 2**30:,.2f} GiB with _truth")
    print(f"persons          {summary['persons']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
