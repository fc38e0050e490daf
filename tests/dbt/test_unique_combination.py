"""The key test (tests/generic/unique_combination.sql): the SQL dbt compiles for the group-message
sends' four-column key, run on hand-made tables, returns exactly the keys found more than once —
nulls equal to nulls — with their counts, as a count of the rows by key in Python finds them."""

import random
from collections import Counter

import duckdb
import pytest

from tests.dbt.dbt_support import run_dbt

TEST = "unique_combination_stg_wecom__groupmsg_sends_msgid__userid__external_userid__chat_id"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("unique-combination")
    result = run_dbt(tmp, tmp / "warehouse.duckdb", ["compile", "--select", TEST])
    assert result.success, result.exception
    (node,) = (r.node for r in result.result.results)
    return node.compiled_code


def failing_keys(sql: str, rows: list[tuple]) -> list[tuple]:
    con = duckdb.connect()
    con.execute("attach ':memory:' as warehouse")
    con.execute("create schema warehouse.staging")
    con.execute("create table warehouse.staging.stg_wecom__groupmsg_sends "
                "(msgid varchar, userid varchar, external_userid varchar, chat_id varchar)")
    if rows:
        con.executemany("insert into warehouse.staging.stg_wecom__groupmsg_sends values (?, ?, ?, ?)", rows)
    return sorted(con.execute(sql).fetchall(), key=repr)


def test_the_key_is_the_four_columns(compiled):
    assert "group by msgid, userid, external_userid, chat_id" in compiled


def test_duplicates_are_listed_with_their_counts_and_nulls_equal_nulls(compiled):
    rows = [
        ("m1", "g1", "wm1", None),  # a customer's send, twice
        ("m1", "g1", "wm1", None),
        ("m1", "g1", None, "wr1"),  # a group's send, three times
        ("m1", "g1", None, "wr1"),
        ("m1", "g1", None, "wr1"),
        ("m1", "g1", "wm2", None),  # once each: not duplicates
        ("m1", "g2", "wm1", None),
        ("m2", "g1", "wm1", None),
        (None, None, None, None),  # all null, twice: one key
        (None, None, None, None),
        ("m1", None, "wm1", None),  # the same values in other columns are another key
        ("m1", "wm1", None, None),
    ]
    assert failing_keys(compiled, rows) == sorted(
        [("m1", "g1", "wm1", None, 2), ("m1", "g1", None, "wr1", 3), (None, None, None, None, 2)], key=repr)


def test_unique_keys_and_no_rows_pass(compiled):
    assert failing_keys(compiled, [("m1", "g1", "wm1", None), ("m1", "g1", None, "wm1")]) == []
    assert failing_keys(compiled, []) == []


def test_many_keys_agree_with_a_count_in_python(compiled):
    rng = random.Random(14)
    values = [None, "a", "b", "c", "ab", ""]
    rows = [tuple(rng.choice(values) for _ in range(4)) for _ in range(3000)]
    counted = Counter(rows)
    expected = sorted(((*key, n) for key, n in counted.items() if n > 1), key=repr)
    assert len(expected) > 100 and any(None in key for key in expected)
    assert failing_keys(compiled, rows) == expected
