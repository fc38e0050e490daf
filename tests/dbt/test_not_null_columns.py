"""The model-level row rules (tests/generic/not_null_columns.sql): the SQL dbt compiles for
int_purchases' rules (customer_id and order_key not null, order_key unique), run on hand-made
tables, names exactly the columns holding nulls and counts them, and the keys found twice; and for
int_oa__subscriptions' (three columns not null, a two-column key, subscription_id unique on its own,
end_kind one of three values or null), each rule's failures and no others."""


import duckdb
import pytest

from tests.dbt.dbt_support import run_dbt

TEST = "not_null_and_unique_int_purchases"
SUBSCRIPTIONS = "not_null_and_unique_int_oa__subscriptions"


@pytest.fixture(scope="module")
def compiled_tests(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("not-null")
    result = run_dbt(tmp, tmp / "warehouse.duckdb", ["compile", "--select", TEST, SUBSCRIPTIONS])
    assert result.success, result.exception
    out = {}
    for name in (TEST, SUBSCRIPTIONS):
        (path,) = (tmp / "target" / "compiled").rglob(f"{name}.sql")
        out[name] = path.read_text(encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def compiled(compiled_tests) -> str:
    return compiled_tests[TEST]


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


def subscription_failures(sql: str, rows: list[tuple]) -> list[tuple]:
    con = duckdb.connect()
    con.execute("attach ':memory:' as warehouse")
    con.execute("create schema warehouse.intermediate")
    con.execute(
        "create table warehouse.intermediate.int_oa__subscriptions "
        "(subscription_id varchar, openid varchar, subscribed_at integer, end_kind varchar)"
    )
    con.executemany("insert into warehouse.intermediate.int_oa__subscriptions values (?, ?, ?, ?)", rows)
    return sorted(con.execute(sql).fetchall())


def test_an_id_found_twice_and_a_value_not_accepted_are_failing_rows(compiled_tests):
    sql = compiled_tests[SUBSCRIPTIONS]
    good = [("s1", "o1", 1, None), ("s2", "o1", 2, "unsubscribe"), ("s3", "o2", 1, "missing_from_snapshot"),
            ("s4", "o3", 1, "unsubscribed_in_snapshot")]
    assert subscription_failures(sql, good) == []  # null end_kind: still following, accepted
    rows = [
        ("s1", "o1", 1, None),
        ("s1", "o1", 2, "unsubscribe"),       # the id twice, the key (o1, 2) once
        ("s1", "o2", 5, "Unsubscribe"),       # the id a third time; a value in capitals
        ("s4", "o3", 1, "blocked"),
        ("s5", "o3", 1, "blocked"),           # the key (o3, 1) twice; 'blocked' twice
        (None, "o4", 1, "unsubscribe"),       # a null id: not_null, not a duplicate of anything
    ]
    assert subscription_failures(sql, rows) == [
        ("accepted_values", "end_kind", "Unsubscribe", 1),
        ("accepted_values", "end_kind", "blocked", 2),
        ("not_null", "subscription_id", None, 1),
        ("unique", "openid, subscribed_at", "o3, 1", 2),
        ("unique", "subscription_id", "s1", 3),
    ]
