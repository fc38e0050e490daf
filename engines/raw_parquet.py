"""The source tables of a DuckDB warehouse as Parquet, for a dbt build on Spark (docs/engines.md).

The staging layer reads `source()` tables: the loader's `raw` schema and the Python steps' `identity`
and `value` schemas. `sources` gives Spark all of them under `<folder>/<schema>/<table>/`: the raw
tables with a business date as the partitioned layer engines/raw_layer.py keeps in step (only the
partitions that changed are rewritten; a table with no day yet is one empty file, declared plain),
the others (the identity and value tables, the loader's log and quarantine: small) copied whole by
`export`; `declare` is the dbt command that makes each dbt source a Spark table over its folder
(dbt_project/macros/engine/parquet_sources.sql).

    python -m engines.raw_parquet WAREHOUSE FOLDER    # sync and export, then declare them on Spark
    python -m engines.raw_parquet WAREHOUSE FOLDER --location s3a://lake/siyu
        # sync and export, then print the dbt command declaring them where a cluster reads FOLDER's
        # copy (docs/spark_cluster.md): nothing runs on Spark here
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
from pathlib import Path

import duckdb

from engines.raw_layer import Synced, sync
from engines.spark import dbt_on_spark

SOURCE_SCHEMAS = ("raw", "identity", "value")


def sources(warehouse: Path, folder: Path) -> tuple[dict[str, int], Synced]:
    """Every source table under `folder`: the raw layer synced, the rest exported whole;
    ({schema.table: rows}, what the sync did)."""
    synced = sync(warehouse, folder)
    counts = export(warehouse, folder, skip={f"raw.{t}" for t in synced.rows})
    return {**counts, **{f"raw.{t}": n for t, n in synced.rows.items()}}, synced


def export(warehouse: Path, folder: Path, skip: set[str] = frozenset()) -> dict[str, int]:
    """Every table of the source schemas but those in `skip` (`schema.table`) as
    `<folder>/<schema>/<table>/data.parquet`, replacing what the folder held; {schema.table: rows}.
    JSON columns are written as text: Spark has no JSON type, its JSON functions read strings."""
    counts = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in (select unnest(?)) and table_type = 'BASE TABLE' order by 1, 2",
            [list(SOURCE_SCHEMAS)],
        ).fetchall()
        for schema, table in tables:
            if f"{schema}.{table}" in skip:
                continue
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


def declare(folder: Path | str, tables: list[str] | None = None,
            partitioned: dict[str, str] | None = None) -> list[str]:
    """The dbt command making each source a Spark table over its Parquet folder (for dbt_on_spark);
    with `tables` (export's keys), only those: the other sources are left undeclared. `partitioned`
    ({schema.table: Spark's column list}, Synced.partitioned()) are tables partitioned by business date.
    `folder` is a local path, or a URL Spark reads (`s3a://…`, `hdfs://…`), kept as given."""
    given = {} if tables is None else {"tables": sorted(tables)}
    if partitioned:
        given["partitioned"] = dict(sorted(partitioned.items()))
    where = folder if isinstance(folder, str) and "://" in folder else str(Path(folder).resolve())
    arguments = json.dumps({"folder": where, **given})
    return ["run-operation", "declare_parquet_sources", "--args", arguments]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m engines.raw_parquet", description=__doc__.split("\n")[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--location", help="where a cluster reads the folder's copy (s3a://…, hdfs://…): "
                        "print the dbt command declaring the sources there instead of declaring them here")
    args = parser.parse_args(argv)
    warehouse, folder = args.warehouse.resolve(), args.folder.resolve()
    # Spark's folder is found from SIYU_WAREHOUSE (profiles.yml): this warehouse's unless set
    os.environ.setdefault("SIYU_WAREHOUSE", str(warehouse))
    counts, synced = sources(warehouse, folder)
    print(f"{len(counts)} tables, {sum(counts.values())} rows → {folder} (raw partitions: "
          f"{sum(synced.written.values())} written, {sum(synced.kept.values())} kept, "
          f"{sum(synced.removed.values())} removed)")
    if args.location:
        command = declare(args.location.rstrip("/"), list(counts), synced.partitioned())
        print("copy the folder there (only changed partitions' files are new: their names are their "
              "fingerprints), then, with the cluster's dbt profile:")
        print("dbt " + " ".join(shlex.quote(part) for part in command))
        return
    dbt_on_spark(declare(folder, list(counts), synced.partitioned()))


if __name__ == "__main__":
    main()
