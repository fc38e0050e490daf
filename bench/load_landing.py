"""Load a whole landing folder into a fresh warehouse: rows/s per source and peak RSS.

Usage: python bench/load_landing.py <landing dir> <warehouse.duckdb>

Runs the same `load_partition` the Dagster landing asset runs, day by day, entity by entity.
"""

import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import duckdb

from ingestion.landing import discover
from ingestion.loader import ensure_raw_schema, load_partition


def main(landing: Path, warehouse: Path) -> None:
    warehouse.unlink(missing_ok=True)
    con = duckdb.connect(str(warehouse))
    ensure_raw_schema(con)
    rows: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    for (source, entity), days in sorted(discover(landing).partitions.items()):
        for day in days:
            t0 = time.perf_counter()
            result = load_partition(con, landing, source, entity, day, b"bench-salt")
            seconds[source] += time.perf_counter() - t0
            rows[source] += result.rows_offered
    total = time.perf_counter() - started
    for source in sorted(rows):
        print(f"{source:<10} {rows[source]:>12,} rows {seconds[source]:8.1f} s {rows[source] / seconds[source]:>10,.0f} rows/s")
    print(f"{'all':<10} {sum(rows.values()):>12,} rows {total:8.1f} s {sum(rows.values()) / total:>10,.0f} rows/s")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
