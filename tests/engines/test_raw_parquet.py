"""engines/raw_parquet.py: a warehouse's source tables as Parquet folders Spark can read as they are."""

from __future__ import annotations

import json
import shlex

import duckdb
import pytest

from engines.raw_parquet import declare, export, sources


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


def test_sources_partition_raw_by_business_date_and_copy_the_rest_whole(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw; create schema identity")
        con.execute("create table raw.ads__spend (spend decimal(18,2), _business_date date)")
        con.execute("insert into raw.ads__spend values (1.50, '2026-10-01'), (2.00, '2026-10-02')")
        con.execute("create table raw._load_log (file varchar, business_date date)")  # no _business_date
        con.execute("insert into raw._load_log values ('a.csv', '2026-10-01')")
        con.execute("create table identity.customers (customer_id bigint)")
        # an entity never delivered: Spark cannot query a partitioned table with no partition
        con.execute("create table raw.org__test_account (userid varchar, _business_date date)")

    counts, synced = sources(warehouse, tmp_path / "parquet")

    assert counts == {"raw.ads__spend": 2, "raw._load_log": 1, "identity.customers": 0,
                      "raw.org__test_account": 0}
    assert sorted(p.relative_to(tmp_path / "parquet").parent.as_posix()
                  for p in (tmp_path / "parquet").rglob("*.parquet")) == [
        "identity/customers", "raw/_load_log",
        "raw/ads__spend/_business_date=2026-10-01", "raw/ads__spend/_business_date=2026-10-02",
        "raw/org__test_account",  # whole: one empty file with its columns
    ]
    command = declare(tmp_path / "parquet", list(counts), synced.partitioned())
    arguments = json.loads(command[-1])
    assert arguments["partitioned"] == {"raw.ads__spend": "`spend` decimal(18,2), `_business_date` date"}
    assert arguments["tables"] == ["identity.customers", "raw._load_log", "raw.ads__spend",
                                   "raw.org__test_account"]
    assert synced.empty == {"org__test_account"} and "raw.org__test_account" in synced.columns
    # its first day lands: the whole copy gives way to the partition
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into raw.org__test_account values ('u1', '2026-10-02')")
    counts, synced = sources(warehouse, tmp_path / "parquet")
    files = list((tmp_path / "parquet" / "raw" / "org__test_account").rglob("*.parquet"))
    assert [f.parent.name for f in files] == ["_business_date=2026-10-02"]
    assert "raw.org__test_account" in synced.partitioned() and not synced.empty


def test_for_a_cluster_the_command_declares_the_sources_where_the_cluster_reads_them(tmp_path, monkeypatch,
                                                                                    capsys):
    from engines import raw_parquet

    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw; create schema identity")
        con.execute("create table raw.ads__spend (spend decimal(18,2), _business_date date)")
        con.execute("insert into raw.ads__spend values (1.50, '2026-10-01')")
        con.execute("create table identity.customers (customer_id bigint)")
    monkeypatch.setattr(raw_parquet, "dbt_on_spark", lambda *a: pytest.fail("no Spark runs here"))
    monkeypatch.setenv("SIYU_WAREHOUSE", str(warehouse))

    raw_parquet.main([str(warehouse), str(tmp_path / "parquet"), "--location", "s3a://brand-lake/siyu/"])

    command = shlex.split(capsys.readouterr().out.splitlines()[-1])
    assert command[:4] == ["dbt", "run-operation", "declare_parquet_sources", "--args"]
    arguments = json.loads(command[4])
    assert arguments == {
        "folder": "s3a://brand-lake/siyu",
        "tables": ["identity.customers", "raw.ads__spend"],
        "partitioned": {"raw.ads__spend": "`spend` decimal(18,2), `_business_date` date"},
    }
    assert (tmp_path / "parquet" / "raw" / "ads__spend" / "_business_date=2026-10-01").is_dir()
