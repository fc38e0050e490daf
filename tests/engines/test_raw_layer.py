"""engines/raw_layer.py: the raw layer as Parquet partitioned by table and business date, kept equal
to DuckDB's raw tables night after night by rewriting only the partitions that changed.

The nights are the loader's own (load_range over a landing folder) and `siyu forget`'s erasure; the
oracle is DuckDB's raw table itself, read beside the Parquet folders read back with DuckDB's
hive partitioning (the loader's rows, not the sync's own bookkeeping)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from engines.raw_layer import sync
from ingestion.contracts import get
from ingestion.load.daily import load_range
from ingestion.load.loader import ensure_raw_schema
from orchestration.forget_erase import erase

SALT = b"raw-layer-test-salt-of-thirty-two-bytes"
MEMBER = get("tmall", "member")
HEADER = "会员ID,买家会员名,手机号,绑定时间\n"
D1, D2, D3 = date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)


def member(n: int, nick: str | None = None) -> str:
    """A member row: id TM<n>, nick `nick<n>` unless given, a valid phone, a binding time."""
    return f"TM{n},{nick or f'nick{n}'},1380013800{n},2026-09-30 1{n}:00:00"


def deliver(landing: Path, day: date, *rows: str, name: str = "members") -> None:
    """A member snapshot file of `day` (replacing the folder's earlier files)."""
    folder = landing / "tmall" / "member" / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / f"{name}_{day:%Y%m%d}.csv").write_text(HEADER + "".join(r + "\n" for r in rows), "utf-8")


def night(warehouse: Path, landing: Path, *days: date) -> None:
    """The loader over these days, as a night loads the folders that changed."""
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_schema(con)
        load_range(con, landing, MEMBER, min(days), max(days), SALT, only=set(days))


def raw_rows(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        return sorted(con.execute(
            "select member_id, buyer_nick, phone_hash, phone_kind, bound_at, _business_date, _file, "
            "_row_number, _record_hash, _encoding, _loaded_at from raw.tmall__member").fetchall())


def layer_rows(folder: Path) -> list[tuple]:
    files = str(folder / "raw" / "tmall__member" / "**" / "*.parquet")
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        return sorted(con.execute(
            "select member_id, buyer_nick, phone_hash, phone_kind, bound_at, _business_date, _file, "
            "_row_number, _record_hash, _encoding, _loaded_at "
            f"from read_parquet('{files}', hive_partitioning = true)").fetchall())


def partition_files(folder: Path) -> dict[str, tuple[int, int]]:
    """{`_business_date=…/file`: (inode, mtime_ns)} of the member table's files."""
    root = folder / "raw" / "tmall__member"
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in root.rglob("*.parquet")}


def days_of(files: dict) -> list[str]:
    return sorted({name.split("/")[0] for name in files})


@pytest.fixture
def brand(tmp_path):
    return tmp_path / "landing", tmp_path / "warehouse.duckdb", tmp_path / "parquet"


def test_the_layer_equals_raw_after_each_night_and_unchanged_days_keep_their_files(brand):
    landing, warehouse, folder = brand
    deliver(landing, D1, member(1), member(2))
    deliver(landing, D2, member(1), member(3))
    night(warehouse, landing, D1, D2)
    first = sync(warehouse, folder)
    assert (first.written["tmall__member"], first.kept["tmall__member"]) == (2, 0)
    assert len(raw_rows(warehouse)) == 4 and layer_rows(folder) == raw_rows(warehouse)
    before = partition_files(folder)
    assert days_of(before) == ["_business_date=2026-10-01", "_business_date=2026-10-02"]

    # a new day, and day 2 re-delivered with a changed row: day 1's file is not touched
    deliver(landing, D2, member(1), member(3, "nick3b"))
    deliver(landing, D3, member(4), member(5))
    night(warehouse, landing, D2, D3)
    second = sync(warehouse, folder)
    assert (second.written["tmall__member"], second.kept["tmall__member"]) == (2, 1)
    assert layer_rows(folder) == raw_rows(warehouse)
    assert ("TM3", "nick3b") in {r[:2] for r in layer_rows(folder)}
    after = partition_files(folder)
    day1 = {k: v for k, v in before.items() if k.startswith("_business_date=2026-10-01/")}
    assert day1 and all(after.get(k) == v for k, v in day1.items())
    assert not set(after) & {k for k in before if k.startswith("_business_date=2026-10-02/")}

    # day 1 re-delivered empty: its partition goes, the others stay as they were
    deliver(landing, D1)
    night(warehouse, landing, D1)
    third = sync(warehouse, folder)
    assert (third.written["tmall__member"], third.removed["tmall__member"]) == (0, 1)
    assert not (folder / "raw" / "tmall__member" / "_business_date=2026-10-01").exists()
    assert layer_rows(folder) == raw_rows(warehouse) and len(raw_rows(warehouse)) == 4
    assert partition_files(folder) == {k: v for k, v in after.items() if k not in day1}
    assert days_of(partition_files(folder)) == ["_business_date=2026-10-02", "_business_date=2026-10-03"]

    # `siyu forget` erases a person (nick4, day 3): day 3 is rewritten, day 2 is not
    with duckdb.connect(str(warehouse)) as con:
        erase(con, {"tmall_buyer_nick": {"nick4"}}, set(), b"k" * 32, "request-1")
    fourth = sync(warehouse, folder)
    assert (fourth.written["tmall__member"], fourth.kept["tmall__member"]) == (1, 1)
    assert [r[1] for r in layer_rows(folder)] == ["nick1", "nick3b", "nick5"]
    assert layer_rows(folder) == raw_rows(warehouse)
    last = partition_files(folder)
    assert {k: v for k, v in last.items() if "2026-10-02" in k} == {
        k: v for k, v in after.items() if "2026-10-02" in k}


def test_a_change_keeping_the_row_count_or_a_new_column_is_written_and_nothing_else(brand):
    landing, warehouse, folder = brand
    deliver(landing, D1, member(1))
    deliver(landing, D2, member(2))
    night(warehouse, landing, D1, D2)
    sync(warehouse, folder)
    assert set(sync(warehouse, folder).written.values()) == {0}  # nothing changed: nothing written
    with duckdb.connect(str(warehouse)) as con:  # a hand-made fix: no load log, no rebuild request
        con.execute("update raw.tmall__member set buyer_nick = 'fixed' where member_id = 'TM2'")
    again = sync(warehouse, folder)
    assert (again.written["tmall__member"], again.kept["tmall__member"]) == (1, 1)
    assert layer_rows(folder) == raw_rows(warehouse)
    assert ("TM2", "fixed") in {r[:2] for r in layer_rows(folder)}
    with duckdb.connect(str(warehouse)) as con:  # a contract gained a field: every day gets it
        con.execute("alter table raw.tmall__member add column level varchar")
    widened = sync(warehouse, folder)
    assert (widened.written["tmall__member"], widened.kept["tmall__member"]) == (2, 0)
    files = str(folder / "raw" / "tmall__member" / "**" / "*.parquet")
    with duckdb.connect() as con:
        assert con.execute(f"select count(level is null) from read_parquet('{files}')").fetchone() == (2,)


def test_a_partition_left_half_written_or_a_stray_file_is_rewritten(brand):
    landing, warehouse, folder = brand
    deliver(landing, D1, member(1))
    deliver(landing, D2, member(2))
    night(warehouse, landing, D1, D2)
    sync(warehouse, folder)
    table = folder / "raw" / "tmall__member"
    day = table / "_business_date=2026-10-01"
    (only,) = day.iterdir()
    only.rename(day / only.name.replace("-0of1", "-0of2"))  # as if a second file never arrived
    for p in (table / "_business_date=2026-10-02").iterdir():  # as if stopped before its file came
        p.unlink()
    (table / "_business_date=2026-09-30").mkdir()  # a day DuckDB does not hold
    (table / "data.parquet").write_bytes(b"an earlier whole copy")
    fixed = sync(warehouse, folder)
    assert (fixed.written["tmall__member"], fixed.removed["tmall__member"]) == (2, 1)
    assert [p.name for p in day.iterdir()] == [only.name]
    assert sorted(p.name for p in table.iterdir()) == [f"_business_date=2026-10-0{d}" for d in (1, 2)]
    assert layer_rows(folder) == raw_rows(warehouse)


def test_every_contract_table_is_partitioned_and_spark_gets_its_columns(brand):
    _, warehouse, folder = brand
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_schema(con)
    done = sync(warehouse, folder)
    assert "tmall__member" in done.rows and "_load_log" not in done.rows and "_quarantine" not in done.rows
    assert set(done.rows.values()) == {0}
    # no day yet: each table is one empty file with its columns, read as a plain table
    assert done.empty == set(done.rows) and not done.partitioned()
    assert sorted(p.relative_to(folder / "raw").as_posix() for p in (folder / "raw").rglob("*.*")) == sorted(
        f"{t}/empty.parquet" for t in done.rows)
    with duckdb.connect() as con:
        empty = con.execute(f"describe select * from '{folder / 'raw' / 'tmall__member' / 'empty.parquet'}'")
        assert [r[0] for r in empty.fetchall()][:6] == [
            "member_id", "buyer_nick", "phone_hash", "phone_kind", "bound_at", "_business_date"]
    assert done.columns["raw.tmall__member"] == (
        "`member_id` string, `buyer_nick` string, `phone_hash` string, `phone_kind` string, "
        "`bound_at` timestamp, `_business_date` date, `_file` string, `_row_number` bigint, "
        "`_record_hash` string, `_encoding` string, `_loaded_at` timestamp")
