"""Memory and time of validating one large raw partition with the contract suite.

    python bench/gx_memory.py [--rows 1000000] [--entity mp/event]

Builds a DuckDB file holding one business date of `--rows` synthetic rows of the entity's raw
table (ids in the contract's formats, a realistic share of optional fields empty), then, in a
fresh process, reads the partition the way the asset check does (only the suite's columns) and
validates it with GX's pandas datasource. Prints the frame's size, the process's resident memory
before and at peak, and the time of each step.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DAY = date(2026, 10, 31)


def _rss_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def build(path: Path, source: str, entity: str, rows: int) -> None:
    import duckdb

    from ingestion.contracts import get
    from ingestion.contracts.ddl import create_table_sql, raw_columns

    contract = get(source, entity)
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    con.execute(create_table_sql(contract))
    # openids: 'o' + 27 hex characters = 28, as the contract's format wants; 50,000 distinct users
    exprs = {
        "openid": "'o' || substr(md5(i % 50000 || 'o'), 1, 27)",
        "share_from_openid": "case when i % 20 = 0 then 'o' || substr(md5(i % 9000 || 's'), 1, 27) end",
        "event_id": "'ev' || i",
        "event": "(['page_view','add_to_cart','share','share_open','checkout'])[1 + i % 5]",
        "page_path": "'/pages/goods/detail?sku=SKU' || (i % 300)",
        "scene": "(1000 + i % 100)::varchar",
        "utm_source": "case when i % 4 = 0 then 'wechat' end",
        "utm_medium": "case when i % 4 = 0 then 'share' end",
        "utm_campaign": "case when i % 4 = 0 then 'c' || (i % 40) end",
        "ts": "timestamptz '2026-10-30 16:00:00+00' + to_milliseconds(i % 86400000)",
    }
    select = ", ".join(exprs.get(name, "null") for name, _ in raw_columns(contract)[:-6])
    con.execute(
        f"insert into raw.\"{contract.table}\" select {select}, ?, 'bench', i, md5(i::varchar), "
        f"'utf-8', now() from range({rows}) r(i)",
        [DAY],
    )
    con.close()


def measure(path: Path, source: str, entity: str) -> None:
    import warnings

    import duckdb

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    from ingestion.contracts import get
    from quality.raw_checks import read_partitions
    from quality.suites import build_suite
    from quality.validate import GxSession

    session = GxSession()
    session.start()  # GX's import and context, before the baseline
    contract = get(source, entity)
    t1 = time.perf_counter()
    before = _rss_mb("VmRSS")
    con = duckdb.connect(str(path), read_only=True)
    frame = read_partitions(con, contract, DAY, DAY)
    t2 = time.perf_counter()
    after_read = _rss_mb("VmRSS")
    findings = session.validate(build_suite(contract), frame)
    t3 = time.perf_counter()
    failed = [f.rule for f in findings if not f.success]
    print(
        f"{source}/{entity}: {len(frame):,} rows × {frame.shape[1]} columns, "
        f"frame {frame.memory_usage(deep=True).sum() / 2**20:,.0f} MB"
    )
    print(
        f"GX import + context: {t1 - t0:.1f} s; read: {t2 - t1:.1f} s; "
        f"validate {len(findings)} expectations: "
        f"{t3 - t2:.1f} s ({len(failed)} failed{': ' + ', '.join(failed) if failed else ''})"
    )
    print(
        f"resident memory: {before:,.0f} MB before reading, {after_read:,.0f} MB after reading, "
        f"peak {_rss_mb('VmHWM'):,.0f} MB (peak - before = {_rss_mb('VmHWM') - before:,.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--entity", default="mp/event")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    source, entity = args.entity.split("/")
    if args.measure:
        measure(Path(args.measure), source, entity)
        return
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        t = time.perf_counter()
        build(path, source, entity, args.rows)
        print(f"built {args.rows:,} rows in {time.perf_counter() - t:.1f} s")
        subprocess.run(
            [sys.executable, __file__, "--entity", args.entity, "--measure", str(path)], check=True
        )


if __name__ == "__main__":
    main()
