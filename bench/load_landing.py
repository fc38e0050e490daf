"""Load a whole landing folder into a fresh warehouse: rows/s per source and peak RSS.

Usage: python bench/load_landing.py <landing dir> <warehouse.duckdb>

Runs what the Dagster landing asset runs: `load_range` over every entity's days (several days per
transaction), with the phone salt `bench-salt`. Per source it prints rows offered, wall seconds and
rows/s; CPU seconds tell the cost when other processes share the machine (wall time then lies).
"""

import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import duckdb

from ingestion.contracts import get
from ingestion.landing.layout import discover
from ingestion.load.daily import load_range
from ingestion.load.loader import ensure_raw_schema

SALT = b"bench-salt"


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main(landing: Path, warehouse: Path) -> None:
    warehouse.unlink(missing_ok=True)
    con = duckdb.connect(str(warehouse))
    ensure_raw_schema(con)
    rows: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    cpu: dict[str, float] = defaultdict(float)
    started, cpu0 = time.perf_counter(), _cpu()
    files = 0
    for (source, entity), days in sorted(discover(landing).partitions.items()):
        t0, c0 = time.perf_counter(), _cpu()
        summary = load_range(con, landing, get(source, entity), days[0], days[-1], SALT)
        seconds[source] += time.perf_counter() - t0
        cpu[source] += _cpu() - c0
        rows[source] += summary.rows_offered
        files += summary.files
    con.close()
    seconds["all"], cpu["all"], rows["all"] = time.perf_counter() - started, _cpu() - cpu0, sum(rows.values())
    print(f"{'source':<10} {'rows':>12} {'wall s':>8} {'rows/s':>10} {'CPU-s':>8} {'CPU-µs/row':>10}")
    for source in [*sorted(s for s in rows if s != "all"), "all"]:
        n, wall, used = rows[source], seconds[source], cpu[source]
        print(f"{source:<10} {n:>12,} {wall:>8.1f} {n / wall:>10,.0f} {used:>8.1f} {used / n * 1e6:>10.1f}")
    print(f"{files:,} files; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
