"""Tables of one engine against another's, after normalising what only the engine decides.

DuckDB's table beside the Parquet copy another engine wrote of the same model, both read by DuckDB.
Normalised: a timestamp becomes its epoch microseconds (an instant, whatever zone or type says so),
a number its value as decimal(38, 10) (int vs bigint, decimal(18, 2) vs decimal(21, 2)), JSON and
lists their text. Nulls stay nulls. The rows are compared as multisets (no order), column by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

DIFFERENCE_SAMPLE = 3
# DuckDB's integer types; U<type> are the unsigned ones (json_array_length is a UBIGINT, Spark's an int)
INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")


@dataclass(frozen=True)
class Comparison:
    table: str
    rows: tuple[int, int]  # (this engine, the other)
    columns_only: tuple[tuple[str, ...], tuple[str, ...]]
    only_here: list[tuple]  # a few rows of this engine the other lacks
    only_there: list[tuple]

    @property
    def equal(self) -> bool:
        same_rows = self.rows[0] == self.rows[1]
        return same_rows and not (any(self.columns_only) or self.only_here or self.only_there)

    def __str__(self) -> str:
        if self.equal:
            return f"{self.table}: {self.rows[0]} rows, equal"
        return (f"{self.table}: rows {self.rows[0]} vs {self.rows[1]}, columns only here/there "
                f"{self.columns_only}, e.g. only here {self.only_here}, only there {self.only_there}")


def _normalised(con, relation: str, ignore: tuple[str, ...] = ()) -> tuple[list[str], str]:
    """(column names, a select of the relation's columns normalised), less the `ignore` ones."""
    described = con.execute(f"describe select * from {relation}").fetchall()
    columns, select = [], []
    for name, kind, *_ in described:
        if name in ignore:
            continue
        quoted = f'"{name}"'
        if kind in ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE"):
            expression = f"epoch_us({quoted})"
        elif kind.startswith("DECIMAL") or kind.removeprefix("U") in INTEGERS:
            expression = f"cast({quoted} as decimal(38, 10))"
        elif kind in ("VARCHAR", "DATE", "BOOLEAN", "DOUBLE", "FLOAT"):
            expression = quoted
        else:  # JSON, lists, structs: their text
            expression = f"cast({quoted} as varchar)"
        columns.append(name)
        select.append(f"{expression} as {quoted}")
    return columns, f"select {', '.join(select)} from {relation}"


def compare(
    con: duckdb.DuckDBPyConnection, relation: str, other: Path | str, ignore: tuple[str, ...] = ()
) -> Comparison:
    """DuckDB's `relation` (e.g. staging.stg_mp__events) against the Parquet files of a folder (a
    Path) or another relation `con` reads (e.g. a table of an attached database), leaving out the
    `ignore` columns (values each engine names its own way, e.g. a record hash)."""
    if isinstance(other, Path):
        path = str(other / "*.parquet").replace("'", "''")
        other = f"read_parquet('{path}')"
    here_columns, here = _normalised(con, relation, ignore)
    there_columns, there = _normalised(con, other, ignore)
    rows = (con.execute(f"select count(*) from {relation}").fetchone()[0],
            con.execute(f"select count(*) from {other}").fetchone()[0])
    columns_only = (tuple(c for c in here_columns if c not in there_columns),
                    tuple(c for c in there_columns if c not in here_columns))
    if any(columns_only):
        return Comparison(relation, rows, columns_only, [], [])
    names = ", ".join(f'"{c}"' for c in here_columns)  # the other side's columns in this side's order
    there = f"select {names} from ({there})"
    only_here = con.execute(f"{here} except all {there} limit {DIFFERENCE_SAMPLE}").fetchall()
    only_there = con.execute(f"{there} except all {here} limit {DIFFERENCE_SAMPLE}").fetchall()
    return Comparison(relation, rows, columns_only, only_here, only_there)
