"""engines/compare.py: what the engines decide differently is normalised, and nothing else."""

from __future__ import annotations

import duckdb
import pytest

from engines.compare import compare


@pytest.fixture
def con(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute("create schema staging")
        # DuckDB's types: a UBIGINT count, decimal(18, 2), an instant, a JSON value
        con.execute(
            "create table staging.t as select * from (values "
            "(cast(8 as ubigint), cast(1.50 as decimal(18, 2)), timestamptz '2026-10-31 16:30:00+00', "
            "cast('{\"a\": 1}' as json), ['x']), "
            "(cast(8 as ubigint), null, null, null, [])) as v(n, amount, happened_at, doc, tags)"
        )
        yield con


def _spark_like(con, folder, select: str):
    """What Spark writes of rows: an int, a wider decimal, a plain UTC timestamp, a string."""
    folder.mkdir()
    con.execute(f"copy ({select}) to '{folder / 'part-0.parquet'}' (format parquet)")
    return folder


SPARK_TYPES = (
    "select cast(n as integer) as n, cast(amount as decimal(21, 2)) as amount, "
    "cast(happened_at as timestamp) as happened_at, cast(doc as varchar) as doc, tags from staging.t"
)


def test_the_same_rows_in_another_engines_types_are_equal(con, tmp_path):
    comparison = compare(con, "staging.t", _spark_like(con, tmp_path / "same", SPARK_TYPES))
    assert comparison.equal, str(comparison)
    assert comparison.rows == (2, 2)


def test_a_duplicated_row_or_a_changed_value_or_a_missing_column_is_a_difference(con, tmp_path):
    duplicated = compare(con, "staging.t", _spark_like(
        con, tmp_path / "duplicated", f"({SPARK_TYPES}) union all ({SPARK_TYPES} limit 1)"))
    assert not duplicated.equal and duplicated.rows == (2, 3)
    one_cent_more = SPARK_TYPES.replace("cast(amount as", "cast(amount + 0.01 as")
    changed = compare(con, "staging.t", _spark_like(con, tmp_path / "changed", one_cent_more))
    assert not changed.equal and len(changed.only_here) == len(changed.only_there) == 1
    narrow = compare(con, "staging.t", _spark_like(
        con, tmp_path / "narrow", SPARK_TYPES.replace(", tags from", " from")))
    assert not narrow.equal and narrow.columns_only == (("tags",), ())
