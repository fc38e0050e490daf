"""The key rule (dbt_project/macros/duplicate_keys.sql, in the unique_combination test and in
not_null_columns' unique_key): the SQL dbt compiles for the group-message sends' row rules — msgid
and userid not null, the four-column key unique — run on hand-made tables, returns exactly the keys
found more than once, nulls equal to nulls, with their counts, and the null counts of the not-null
columns, as counting the rows in Python finds them."""

import random
from collections import Counter

import duckdb
import pytest

from tests.dbt.dbt_support import run_dbt

TEST = "not_null_and_unique_stg_wecom__groupmsg_sends"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("unique-combination")
    result = run_dbt(tmp, tmp / "warehouse.duckdb", ["compile", "--select", TEST])
    assert result.success, result.exception
    (node,) = (r.node for r in result.result.results)
    return node.compiled_code


def failing_rows(sql: str, rows: list[tuple]) -> list[tuple]:
    con = duckdb.connect()
    con.execute("attach ':memory:' as warehouse")
    con.execute("create schema warehouse.staging")
    con.execute("create table warehouse.staging.stg_wecom__groupmsg_sends "
                "(msgid varchar, userid varchar, external_userid varchar, chat_id varchar)")
    if rows:
        con.executemany("insert into warehouse.staging.stg_wecom__groupmsg_sends values (?, ?, ?, ?)", rows)
    return sorted(con.execute(sql).fetchall(), key=repr)


def key_text(key: tuple) -> str:
    return ", ".join("null" if v is None else v for v in key)


def expected(rows: list[tuple]) -> list[tuple]:
    """What the rules must report, counted here: nulls per not-null column, then duplicated keys."""
    out = []
    for i, column in enumerate(["msgid", "userid"]):
        nulls = sum(1 for r in rows if r[i] is None)
        if nulls:
            out.append(("not_null", column, None, nulls))
    out += [("unique", "msgid, userid, external_userid, chat_id", key_text(key), n)
            for key, n in Counter(rows).items() if n > 1]
    return sorted(out, key=repr)


def test_the_key_is_the_four_columns_and_the_rules_one_query(compiled):
    assert "group by msgid, userid, external_userid, chat_id" in compiled
    assert "'msgid' as column_name" in compiled and "'userid' as column_name" in compiled


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
        (None, None, None, None),  # all null, twice: one key, and two nulls in each not-null column
        (None, None, None, None),
        ("m1", None, "wm1", None),  # the same values in other columns are another key
        ("m1", "wm1", None, None),
    ]
    key = "msgid, userid, external_userid, chat_id"
    assert failing_rows(compiled, rows) == sorted([
        ("not_null", "msgid", None, 2),
        ("not_null", "userid", None, 3),
        ("unique", key, "m1, g1, wm1, null", 2),
        ("unique", key, "m1, g1, null, wr1", 3),
        ("unique", key, "null, null, null, null", 2),
    ], key=repr)


def test_unique_keys_and_no_rows_pass(compiled):
    assert failing_rows(compiled, [("m1", "g1", "wm1", None), ("m1", "g1", None, "wm1")]) == []
    assert failing_rows(compiled, []) == []


def test_many_keys_agree_with_a_count_in_python(compiled):
    rng = random.Random(14)
    values = [None, "a", "b", "c", "ab", ""]
    rows = [tuple(rng.choice(values) for _ in range(4)) for _ in range(3000)]
    want = expected(rows)
    assert sum(1 for r in want if r[0] == "unique") > 100 and any("null" in r[2] for r in want if r[2])
    assert failing_rows(compiled, rows) == want
