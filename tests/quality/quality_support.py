"""Small raw warehouses for the quality tests: rows written straight into raw tables and the load
log, the shapes the loader leaves (not through the loader, so each test states its rows)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import duckdb
import pandas as pd

from ingestion.contracts import get
from ingestion.rawdb import ensure_raw_schema

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


def put(
    con,
    source: str,
    entity: str,
    rows: list[dict],
    day: date = DAY,
    offered: int | None = None,
    quarantined: int = 0,
) -> None:
    """Rows of one business date in raw.<source>__<entity>, and that day's load-log line."""
    contract = get(source, entity)
    file = f"{source}/{entity}/{day}/export.jsonl"
    if rows:
        frame = pd.DataFrame(rows).assign(_business_date=day, _file=file, _row_number=range(1, len(rows) + 1))
        con.register("_rows", frame)
        con.execute(f'insert into raw."{contract.table}" by name select * from _rows')
        con.unregister("_rows")
    con.execute(
        "insert into raw._load_log values (?, ?, ?, ?, 'utf-8', ?, ?, 0, ?, [], now())",
        [
            source,
            entity,
            day,
            file,
            offered if offered is not None else len(rows) + quarantined,
            len(rows),
            quarantined,
        ],
    )


def put_days(con, source: str, entity: str, make, counts: dict[date, int]) -> None:
    """counts: day → rows; `make(i, day)` builds row i of a day."""
    for day, n in sorted(counts.items()):
        put(con, source, entity, [make(i, day) for i in range(n)], day)


def days_before(day: date, n: int) -> list[date]:
    return [day - timedelta(k) for k in range(n, 0, -1)]
