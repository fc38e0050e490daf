"""Shared helpers for the loader tests (no tests here): landing files written into tmp_path,
a fresh in-memory warehouse, and the accounting check every load must pass."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb

from ingestion.contracts import get
from ingestion.load.loader import LoadResult, ensure_raw_schema, load_partition

SALT = b"test-salt"
DAY = date(2024, 5, 1)
# 2024-05-01 10:00:00 Beijing = 02:00 UTC
T0 = 1714528800


def warehouse():
    """An in-memory warehouse with the raw schema, for a module's `con` fixture."""
    c = duckdb.connect()
    ensure_raw_schema(c)
    yield c
    c.close()


def land(
    root: Path, source: str, entity: str, name: str, content, day: date = DAY, encoding: str = "utf-8"
) -> Path:
    path = root / source / entity / day.isoformat() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def openid(tag: str) -> str:
    """A WeChat openid in the platform's format (28 characters of [0-9A-Za-z_-]) named by `tag`."""
    return tag.ljust(28, "_")


def jsonl(records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


# The POS receipt export's header, every column in the contract's order (docs/sources.md, pos/receipt)
POS_RECEIPT = ["门店编码", "小票号", "交易时间", "会员卡号", "手机号", "金额", "折扣", "收款员代码",
               "原单流水号", "补刷卡标记"]


def csv_text(header: list[str], rows: list[list]) -> str:
    return "\n".join(",".join(str(c) for c in r) for r in [header, *rows]) + "\n"


def load(con, root: Path, source: str, entity: str, day: date = DAY, **kw) -> LoadResult:
    result = load_partition(con, root, source, entity, day, SALT, **kw)
    assert_accounted(con, result)
    return result


def assert_accounted(con, result: LoadResult) -> None:
    """Every row offered is loaded, a duplicate, quarantined or suppressed (an erased person's):
    per file, in total and in the tables."""
    for f in result.files:
        assert f.offered == f.loaded + f.duplicates + f.quarantined + f.suppressed, f
    assert result.rows_offered == (result.rows_loaded + result.duplicates + result.quarantined
                                   + result.suppressed)
    assert result.quarantined == sum(result.reasons.values())
    table = f"raw.{result.source}__{result.entity}"
    day = result.business_date
    n = con.execute(f"select count(*) from {table} where _business_date = ?", [day]).fetchone()[0]
    assert n == result.rows_loaded
    q = con.execute(
        "select count(*) from raw._quarantine where source = ? and entity = ? and business_date = ?",
        [result.source, result.entity, day],
    ).fetchone()[0]
    assert q == result.quarantined
    log = con.execute(
        "select sum(rows_offered), sum(rows_loaded), sum(duplicates), sum(quarantined) "
        "from raw._load_log where source = ? and entity = ? and business_date = ?",
        [result.source, result.entity, day],
    ).fetchone()
    if result.files:
        assert log == (result.rows_offered, result.rows_loaded, result.duplicates, result.quarantined)


def rows(con, sql: str, params=None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def quarantined(con, source: str, entity: str) -> list[dict]:
    return rows(
        con,
        "select row_number, reason, detail, record from raw._quarantine "
        "where source = ? and entity = ? order by file, row_number",
        [source, entity],
    )


def contact_event(i: int = 0, **over) -> dict:
    rec = {
        "ToUserName": "ww0001",
        "FromUserName": "sys",
        "CreateTime": T0 + i,
        "MsgType": "event",
        "Event": "change_external_contact",
        "ChangeType": "add_external_contact",
        "UserID": "guide01",
        "ExternalUserID": f"wm{i:06d}",
    }
    rec.update(over)
    return {k: v for k, v in rec.items() if v is not None}


def header(source: str, entity: str) -> list[str]:
    """The platform's column headers for a CSV entity, as its contract declares them."""
    return [f.path for f in get(source, entity).fields]


def reasons(con, source: str, entity: str) -> list[tuple]:
    """(row number, reason) of each quarantined row of an entity."""
    return [(q["row_number"], q["reason"]) for q in quarantined(con, source, entity)]
