"""The raw schema derived from the contracts: tables, types, evolution, time zones, reopening."""

import duckdb
from test_loader_support import T0, contact_event, jsonl, land, load, rows

from ingestion.contracts import CONTRACTS, LINEAGE_COLUMNS
from ingestion.contracts.ddl import raw_columns
from ingestion.load.loader import ensure_raw_schema


def test_raw_schema_has_every_contract_table_with_contract_types(con):
    ensure_raw_schema(con)  # a second time: idempotent
    tables = {
        r["table_name"]
        for r in rows(con, "select table_name from information_schema.tables where table_schema = 'raw'")
    }
    assert tables == {c.table for c in CONTRACTS.values()} | {"_quarantine", "_load_log"}
    for c in CONTRACTS.values():
        got = rows(
            con,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = ? order by ordinal_position",
            [c.table],
        )
        assert [(r["column_name"], r["data_type"]) for r in got] == [
            (n, t.replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE")) for n, t in raw_columns(c)
        ], c.table
        assert [r["column_name"] for r in got][-len(LINEAGE_COLUMNS) :] == [n for n, _ in LINEAGE_COLUMNS]


def test_schema_evolves_by_adding_missing_columns(con):
    con.execute('alter table raw.wecom__message drop column "roomid"')
    con.execute('alter table raw._load_log drop column "extra_columns"')
    ensure_raw_schema(con)
    cols = {
        r["column_name"]
        for r in rows(
            con,
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'wecom__message'",
        )
    }
    assert "roomid" in cols


def test_times_are_instants_whatever_the_session_time_zone(tmp_path, con):
    land(tmp_path, "wecom", "contact_event", "a.jsonl", jsonl([contact_event(0)]))
    land(
        tmp_path,
        "youzan",
        "refund",
        "r.jsonl",
        jsonl(
            [
                {
                    "refund_id": "r1",
                    "tid": "t1",
                    "status": "SUCCESS",
                    "refund_fee": "1.00",
                    "created": "2024-05-01 10:00:00",
                    "modified": "2024-05-01 10:00:00",
                }
            ]
        ),
    )
    con.execute("set TimeZone = 'America/New_York'")
    load(con, tmp_path, "wecom", "contact_event")
    load(con, tmp_path, "youzan", "refund")
    con.execute("set TimeZone = 'UTC'")
    assert con.execute("select epoch(create_time) from raw.wecom__contact_event").fetchone()[0] == T0
    assert (
        str(con.execute("select created::varchar from raw.youzan__refund").fetchone()[0])
        == "2024-05-01 02:00:00+00"
    )


def test_a_file_based_warehouse_survives_reopening(tmp_path):
    db = tmp_path / "w.duckdb"
    land(tmp_path / "landing", "wecom", "contact_event", "a.jsonl", jsonl([contact_event(1)]))
    with duckdb.connect(str(db)) as c:
        ensure_raw_schema(c)
        load(c, tmp_path / "landing", "wecom", "contact_event")
    with duckdb.connect(str(db)) as c:
        assert c.execute("select count(*) from raw.wecom__contact_event").fetchone()[0] == 1
