"""Small raw warehouses for the quality tests: rows written straight into raw tables and the load
log, the shapes the loader leaves (not through the loader, so each test states its rows)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

import duckdb
import pandas as pd

from ingestion.contracts import get
from ingestion.write.rawdb import ensure_raw_schema

DAY = date(2026, 10, 20)


def warehouse(path=":memory:"):
    con = duckdb.connect(str(path))
    con.execute("set TimeZone = 'UTC'")
    ensure_raw_schema(con)
    return con


def openid(i: int) -> str:
    return "o" + hashlib.md5(str(i).encode()).hexdigest()[:27]


def mp_event(i: int, day: date = DAY, **changes) -> dict:
    row = {
        "event_id": f"ev{i}",
        "openid": openid(i % 7),
        "event": "page_view",
        "page_path": "/pages/index",
        "scene": "1001",
        "ts": f"{day} 10:00:00+08",
    }
    return {**row, **changes}


def pos_receipt(i: int, day: date = DAY, **changes) -> dict:
    """A POS sale; `amount=-9.9` without `original_receipt_no` is the return GX warns about, and
    blocks when over 1% of the receipts are such (the loader lets any sign through on receipts: a
    return names the receipt it returns)."""
    row = {
        "store_code": "S01",
        "receipt_no": f"R{day:%m%d}{i:04d}",
        "traded_at": f"{day} 10:00:00+08",
        "phone_kind": "empty",
        "amount": 99.0 + i % 7,
        "discount": 0.0,
        "cashier_code": "C1",
        "is_late_swipe": False,
    }
    return {**row, **changes}


def put(
    con,
    source: str,
    entity: str,
    rows: list[dict],
    day: date = DAY,
    offered: int | None = None,
    quarantined: int = 0,
    file: str = "export.jsonl",
    duplicates: int = 0,
) -> str:
    """Rows of one file of one business date in raw.<source>__<entity>, and its load-log line; the
    file's path relative to the landing root. Each row's record hash is taken over its values."""
    contract = get(source, entity)
    path = f"{source}/{entity}/{day}/{file}"
    if rows:
        hashes = [hashlib.md5(json.dumps(r, sort_keys=True, default=str).encode()).hexdigest() for r in rows]
        frame = pd.DataFrame(rows).assign(
            _business_date=day, _file=path, _row_number=range(1, len(rows) + 1), _record_hash=hashes
        )
        con.register("_rows", frame)
        con.execute(f'insert into raw."{contract.table}" by name select * from _rows')
        con.unregister("_rows")
    con.execute(
        "insert into raw._load_log (source, entity, business_date, file, encoding, rows_offered, "
        "rows_loaded, duplicates, quarantined, extra_columns, loaded_at) "
        "values (?, ?, ?, ?, 'utf-8', ?, ?, ?, ?, [], now())",
        [
            source,
            entity,
            day,
            path,
            offered if offered is not None else len(rows) + quarantined + duplicates,
            len(rows),
            duplicates,
            quarantined,
        ],
    )
    return path


def hold(con, source: str, entity: str, path: str, rows: list[tuple], day: date = DAY) -> None:
    """Quarantined rows (row number, reason, detail) of one file in raw._quarantine."""
    con.executemany(
        "insert into raw._quarantine values (?, ?, ?, ?, ?, ?, ?, null, now())",
        [[source, entity, day, path, n, reason, detail] for n, reason, detail in rows],
    )


def put_days(con, source: str, entity: str, make, counts: dict[date, int]) -> None:
    """counts: day → rows; `make(i, day)` builds row i of a day."""
    for day, n in sorted(counts.items()):
        put(con, source, entity, [make(i, day) for i in range(n)], day)


def days_before(day: date, n: int) -> list[date]:
    return [day - timedelta(k) for k in range(n, 0, -1)]
