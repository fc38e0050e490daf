"""Loader throughput on synthetic files: `python bench/load_throughput.py [rows] [--keep DIR]`.

Writes a JSONL day of wecom/contact_event callbacks and a GB18030 CSV day of pos/receipt rows
(`rows` each, 1,000,000 by default), loads each with load_partition into a DuckDB file, and prints
rows/s and the peak resident memory of the process. The target is >= 200,000 rows/s on a 2-core
machine with peak RSS < 4 GiB.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingestion.load.loader import ensure_raw_schema, load_partition  # noqa: E402

DAY = date(2024, 5, 1)
START = 1714492800  # 2024-05-01 00:00 Beijing
MEMBERS = 200_000
CHANGE_TYPES = ("add_external_contact", "edit_external_contact", "del_follow_user", "del_external_contact")


def write_jsonl(path: Path, rows: int, rng: random.Random) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for i in range(rows):
            ct = CHANGE_TYPES[rng.randrange(4)]
            state = f',"State":"c{rng.randrange(500)}"' if rng.random() < 0.5 else ""
            at = START + rng.randrange(86400)
            f.write(
                f'{{"ToUserName":"ww0123456789abcdef","FromUserName":"sys","CreateTime":{at},'
                f'"MsgType":"event","Event":"change_external_contact","ChangeType":"{ct}",'
                f'"UserID":"guide{rng.randrange(2000):04d}","ExternalUserID":"wm{i:012d}AbCdEfGh"{state},'
                f'"WelcomeCode":"WELCOME{i:010d}"}}\n'
            )


def write_pos_csv(path: Path, rows: int, rng: random.Random) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    f = path.open("w", encoding="gb18030")
    f.write("门店编码,小票号,交易时间,会员卡号,手机号,金额,折扣,收款员代码,原单流水号,补刷卡标记\n")
    base = datetime(2024, 5, 1, 9, 0, 0)
    # 60% of receipts are members', drawn from a base of MEMBERS: phones repeat as they do in a store.
    for i in range(rows):
        member = rng.randrange(MEMBERS) if rng.random() < 0.6 else None
        phone = f"1{30 + member % 60}{member * 7919 % 10**8:08d}" if member is not None else ""
        card = f"VIP{member:07d}" if member is not None else ""
        t = (base + timedelta(seconds=rng.randrange(12 * 3600))).strftime("%Y-%m-%d %H:%M:%S")
        amount = f"{rng.randrange(990, 99900) / 100:.2f}"
        f.write(
            f"S{rng.randrange(80):03d},R{i:09d},{t},{card},{phone},{amount},0.00,C{rng.randrange(300):03d},,0\n"
        )
    f.close()


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(landing: Path, db: Path, source: str, entity: str, rows: int) -> None:
    con = duckdb.connect(str(db))
    ensure_raw_schema(con)
    t0, c0 = time.perf_counter(), _cpu()
    result = load_partition(con, landing, source, entity, DAY, b"bench-salt")
    elapsed, cpu = time.perf_counter() - t0, _cpu() - c0
    con.close()
    assert result.rows_offered == rows, result
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # CPU seconds tell the cost when other processes share the 2 cores (wall time then lies).
    print(
        f"{source}/{entity}: {rows:,} rows in {elapsed:.2f} s = {rows / elapsed:,.0f} rows/s, "
        f"{cpu:.2f} CPU-s (loaded {result.rows_loaded:,}, quarantined {result.quarantined:,}); "
        f"peak RSS so far {peak_mib:,.0f} MiB"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", type=int, nargs="?", default=1_000_000)
    ap.add_argument("--keep", help="write the landing files and warehouse here instead of a temp dir")
    ap.add_argument("--only", choices=("jsonl", "csv"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        landing, rng = work / "landing", random.Random(7)
        jsonl = landing / "wecom" / "contact_event" / DAY.isoformat() / "callbacks.jsonl"
        csv_path = landing / "pos" / "receipt" / DAY.isoformat() / "receipts.csv"
        if args.only != "csv" and not jsonl.exists():
            write_jsonl(jsonl, args.rows, rng)
        if args.only != "jsonl" and not csv_path.exists():
            write_pos_csv(csv_path, args.rows, rng)
        print(
            f"files written under {landing}; peak RSS after writing "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB"
        )
        db = work / "bench.duckdb"
        db.unlink(missing_ok=True)
        if args.only != "csv":
            run(landing, db, "wecom", "contact_event", args.rows)
        if args.only != "jsonl":
            run(landing, db, "pos", "receipt", args.rows)


if __name__ == "__main__":
    main()
