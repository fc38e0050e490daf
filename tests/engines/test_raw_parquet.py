"""engines/raw_parquet.py: a warehouse's source tables as Parquet folders Spark can read as they are."""

from __future__ import annotations

import duckdb

from engines.raw_parquet import export


def test_each_source_table_is_a_folder_with_its_rows_json_as_text_and_instants_kept(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("set TimeZone = 'Asia/Shanghai'")  # the instant must not depend on the writer's zone
        con.execute("create schema raw; create schema identity; create schema staging")
        con.execute(
            "create table raw.wecom__group_chat (chat_id varchar, member_list json, "
            "create_time timestamptz, tags varchar[])"
        )
        con.execute(
            "insert into raw.wecom__group_chat values "
            "('wr1', '[{\"userid\": \"a\", \"type\": 1}]', timestamptz '2026-10-31 16:30:00+00', "
            "['x', 'y']), "
            "('wr2', null, null, [])"
        )
        con.execute("create table identity.customers (customer_id bigint, first_seen_at timestamptz)")
        con.execute("create table staging.not_a_source (x int)")  # built by dbt: not exported

    counts = export(warehouse, tmp_path / "parquet")

    assert counts == {"identity.customers": 0, "raw.wecom__group_chat": 2}
    assert sorted(p.relative_to(tmp_path / "parquet").as_posix()
                  for p in (tmp_path / "parquet").rglob("*.parquet")) == [
        "identity/customers/data.parquet", "raw/wecom__group_chat/data.parquet",
    ]
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        rows = con.execute(
            "select chat_id, member_list, typeof(member_list), epoch(create_time), tags "
            f"from read_parquet('{tmp_path / 'parquet' / 'raw' / 'wecom__group_chat' / '*.parquet'}') "
            "order by chat_id"
        ).fetchall()
    assert rows == [
        ("wr1", '[{"userid": "a", "type": 1}]', "VARCHAR", 1793464200.0, ["x", "y"]),
        ("wr2", None, "VARCHAR", None, []),
    ]
