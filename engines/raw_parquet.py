"""The source tables of a DuckDB warehouse as Parquet, for a dbt build on Spark (docs/engines.md).

The staging layer reads `source()` tables: the loader's `raw` schema and the Python steps' `identity`
and `value` schemas. Until the loader writes Parquet itself (issue 16, item 2), `export` copies them
from a warehouse the DuckDB pipeline wrote, one folder per table (`<folder>/<schema>/<table>/`, a
layout a partitioned writer can later fill with more files); `declare` is the dbt command that makes
each dbt source a Spark table over its folder (dbt_project/macros/engine/parquet_sources.sql).

    python -m engines.raw_parquet WAREHOUSE FOLDER    # export, then declare them on Spark
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import duckdb

from engines.spark import dbt_on_spark

SOURCE_SCHEMAS = ("raw", "identity", "value")


def export(warehouse: Path, folder: Path) -> dict[str, int]:
    """Every table of the source schemas as `<folder>/<schema>/<table>/data.parquet`, replacing what
    the folder held; {schema.table: rows}. JSON columns are written as text: Spark has no JSON type,
    its JSON functions read strings."""
    counts = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in (select unnest(?)) and table_type = 'BASE TABLE' order by 1, 2",
            [list(SOURCE_SCHEMAS)],
        ).fetchall()
        for schema, table in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            select = ", ".join(
                f'cast("{name}" as varchar) as "{name}"' if kind == "JSON" else f'"{name}"'
                for name, kind in columns
            )
            target = folder / schema / table
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            path = str(target / "data.parquet").replace("'", "''")
            copy = f'copy (select {select} from {schema}."{table}") to \'{path}\' (format parquet)'
            counts[f"{schema}.{table}"] = con.execute(copy).fetchone()[0]  # COPY answers its row count
    return counts


def declare(folder: Path, tables: list[str] | None = None) -> list[str]:
    """The dbt command making each source a Spark table over its Parquet folder (for dbt_on_spark);
    with `tables` (export's keys), only those: the other sources are left undeclared."""
    given = {} if tables is None else {"tables": sorted(tables)}
    arguments = json.dumps({"folder": str(folder.resolve()), **given})
    return ["run-operation", "declare_parquet_sources", "--args", arguments]


def main(argv: list[str] | None = None) -> None:
    warehouse, folder = (Path(a).resolve() for a in (argv or sys.argv[1:]))
    # Spark's folder is found from SIYU_WAREHOUSE (profiles.yml): this warehouse's unless set
    os.environ.setdefault("SIYU_WAREHOUSE", str(warehouse))
    counts = export(warehouse, folder)
    print(f"{len(counts)} tables, {sum(counts.values())} rows → {folder}")
    dbt_on_spark(declare(folder))


if __name__ == "__main__":
    main()
