"""What the suppression list costs the loader: `python bench/suppression_cost.py [rows]`.

Loads the same synthetic day (bench/load_throughput.py's POS receipts, GB18030 CSV, 300,000 rows by
default; and its WeCom contact events, JSONL) three times each: with no suppression list, with a
list of 1,000 entries none of which is in the day, and with 1,000 entries of which 100 are the
day's members (their receipts dropped). Prints CPU seconds of each load (best of two).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load_throughput import DAY, write_jsonl, write_pos_csv  # noqa: E402
from ingestion.erasure.suppression import DDL, entry, stored_value, suppression_key  # noqa: E402
from ingestion.load.loader import ensure_raw_schema, load_partition  # noqa: E402

SALT = b"bench-salt"


def entries(con, values: list[tuple[str, str]]) -> None:
    key = suppression_key(SALT)
    con.execute(DDL)
    con.execute("delete from raw._suppressed")
    if not values:
        return
    con.executemany(
        "insert into raw._suppressed values (?, ?, 'bench', now())",
        [(entry(key, t, stored_value(t, v, SALT)), t) for t, v in values],
    )


def timed(con, root: Path, source: str, entity: str) -> tuple[float, int]:
    best, suppressed = None, 0
    for _ in range(2):
        t0 = time.process_time()
        r = load_partition(con, root, source, entity, DAY, SALT)
        took = time.process_time() - t0
        best, suppressed = min(best or took, took), r.suppressed
    return best, suppressed


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rng = random.Random(1)
        write_pos_csv(root / "pos" / "receipt" / DAY.isoformat() / "r.csv", rows, rng)
        write_jsonl(root / "wecom" / "contact_event" / DAY.isoformat() / "e.jsonl", rows, rng)
        con = duckdb.connect(str(root / "w.duckdb"))
        ensure_raw_schema(con)
        strangers = [("unionid", f"oStranger{i:08d}") for i in range(1000)]
        members = [("pos_card_no", f"VIP{m:07d}") for m in range(100)]
        contacts = [("external_userid", f"wm{i:012d}AbCdEfGh") for i in range(100)]
        for label, values in (
            ("no list", []),
            ("1,000 entries, none in the day", strangers),
            ("1,000 entries, 100 people in the day", strangers[:900] + members + contacts),
        ):
            entries(con, values)
            for source, entity in (("pos", "receipt"), ("wecom", "contact_event")):
                cpu, n = timed(con, root, source, entity)
                print(
                    f"{source}/{entity:<14} {label:<38} {cpu:6.2f} CPU-s  {rows / cpu:9,.0f} rows/CPU-s  "
                    f"suppressed {n}"
                )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300_000)
