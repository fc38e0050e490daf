"""The model-level row rules (tests/generic/not_null_columns.sql): the SQL dbt compiles for
int_purchases' rules (customer_id and order_key not null, order_key unique), run on hand-made
tables, names exactly the columns holding nulls and counts them, and the keys found twice."""


import duckdb
import pytest

from tests.dbt.dbt_support import run_dbt

TEST = "not_null_and_unique_int_purchases"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("not-null")
    result = run_dbt(tmp, tmp / "warehouse.duckdb", ["compile", "--select", TEST])
    assert result.success, result.exception
    (path,) = (tmp / "target" / "compiled").rglob(f"{TEST}.sql")
    return path.read_text(encoding="utf-8")


def failing_rows(sql: str, rows: list[tuple]) -> list[tuple]:
    con = duckdb.connect()
    con.execute("attach ':memory:' as warehouse")
    con.execute("create schema warehouse.intermediate")
    con.execute("create table warehouse.intermediate.int_purchases (customer_id varchar, order_key varchar)")
    if rows:
        con.executemany("insert into warehouse.intermediate.int_purchases values (?, ?)", rows)
    return sorted(con.execute(sql).fetchall())


def test_the_rule_lists_the_columns_it_was_given(compiled):
    assert "'customer_id' as column_name" in compiled and "'order_key' as column_name" in compiled


def test_each_column_with_nulls_is_a_failing_row_with_its_count(compiled):
    rows = [(None, "a"), (None, "b"), ("c1", None), ("c2", "d")]
    assert failing_rows(compiled, rows) == [
        ("not_null", "customer_id", None, 2), ("not_null", "order_key", None, 1)]


def test_a_key_found_twice_is_a_failing_row_with_its_count(compiled):
    rows = [("c1", "a"), ("c2", "a"), ("c3", "b"), ("c4", "a"), ("c5", "c")]
    assert failing_rows(compiled, rows) == [("unique", "order_key", "a", 3)]


def test_no_nulls_and_no_rows_pass(compiled):
    assert failing_rows(compiled, [("c1", "a"), ("c2", "b")]) == []
    assert failing_rows(compiled, []) == []
