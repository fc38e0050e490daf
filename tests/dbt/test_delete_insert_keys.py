"""An incremental night replaces a key's row even when part of the key is null.

A 群发 task's result for one person has no chat_id, and a group send's no external_userid: the
delete+insert of stg_wecom__groupmsg_sends must match them null-safely, or the old row would stay
beside the new one. Key columns with no null among the night's rows are compared with `=` (the same
rows match, and DuckDB scans faster); this test holds both: a first build, then a night whose
re-pulled results change the status of one send of each kind, then a night re-pulling the group
send alone (its chat_id has no null tonight, yet the person's row, null chat_id, must stay).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import duckdb
import pytest
from dbt_support import dbt_build, write_raw

pytestmark = pytest.mark.build  # dbt builds a model on a small warehouse

BEIJING = timezone(timedelta(hours=8))
D1, D2, D3 = date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3)
MODEL = "stg_wecom__groupmsg_sends"
RUN_SQL = f"target/run/siyu/models/staging/wecom/{MODEL}.sql"


def send(msgid: str, status: int, *, external_userid: str | None = None, chat_id: str | None = None) -> dict:
    return {"msgid": msgid, "create_time": datetime(2024, 3, 1, 9, tzinfo=BEIJING), "userid": "u1",
            "external_userid": external_userid, "chat_id": chat_id, "status": status,
            "send_time": datetime(2024, 3, 1, 10, tzinfo=BEIJING) if status == 1 else None}


def add_pull(warehouse, day: date, rows: list[dict]) -> None:
    """A later pull's rows in raw, loaded now (after the model's watermark)."""
    con = duckdb.connect(str(warehouse))
    n0 = con.execute('select count(*) from raw."wecom__groupmsg_send"').fetchone()[0]
    for n, row in enumerate(rows, start=n0 + 1):
        row = row | {"_business_date": day, "_file": f"wecom/groupmsg_send/{day}/a.jsonl", "_row_number": n,
                     "_record_hash": str(n), "_encoding": "utf-8", "_loaded_at": datetime.now(UTC)}
        columns, marks = ", ".join(f'"{c}"' for c in row), ", ".join("?" * len(row))
        con.execute(f'insert into raw."wecom__groupmsg_send" ({columns}) values ({marks})', [*row.values()])
    con.close()


def rows(warehouse) -> list[tuple]:
    with duckdb.connect(str(warehouse)) as con:
        return con.execute(f"select msgid, external_userid, chat_id, status from staging.{MODEL} "
                           "order by msgid").fetchall()


def test_sends_with_null_key_parts_are_replaced_not_doubled(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    write_raw(warehouse, {("wecom", "groupmsg_send"): [
        (D1, "a.jsonl", send("m1", 0, external_userid="wmA")),  # to a person: chat_id null
        (D1, "a.jsonl", send("m2", 0, chat_id="wrC")),  # to a group: external_userid null
    ]})
    build = ["--select", MODEL]
    dbt_build(tmp_path, warehouse, build)
    assert rows(warehouse) == [("m1", "wmA", None, 0), ("m2", None, "wrC", 0)]

    add_pull(warehouse, D2, [send("m1", 1, external_userid="wmA"), send("m2", 2, chat_id="wrC")])
    dbt_build(tmp_path, warehouse, build)
    assert rows(warehouse) == [("m1", "wmA", None, 1), ("m2", None, "wrC", 2)]
    merge = (tmp_path / RUN_SQL).read_text()
    # tonight's rows hold nulls in both nullable key parts; msgid and userid never
    assert "external_userid is not distinct from" in merge and "chat_id is not distinct from" in merge
    assert "msgid = dbt_incremental_target.msgid" in merge

    add_pull(warehouse, D3, [send("m2", 1, chat_id="wrC")])
    dbt_build(tmp_path, warehouse, build)
    assert rows(warehouse) == [("m1", "wmA", None, 1), ("m2", None, "wrC", 1)]
    merge = (tmp_path / RUN_SQL).read_text()
    assert "chat_id = dbt_incremental_target.chat_id" in merge  # no null chat_id tonight
    assert "external_userid is not distinct from" in merge
