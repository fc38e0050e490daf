"""The dbt executable of the pipeline's dbt steps on Spark (SIYU_ENGINE=spark, docs/engines.md).

dagster-dbt runs its dbt executable as a process, reads dbt's JSON lines and judges the step by
the exit code. On Spark that executable is `siyu-dbt-spark` (pyproject's console script), which
runs the step as three parts in one process, so one Spark session (a JVM and its metastore, ~30 s
to start) serves them:

1. the source schemas the Python steps own in the DuckDB warehouse (`raw` from the loader,
   `identity`, `value`) are brought to Parquet under `<SIYU_SPARK_DIR>/sources`
   (engines/raw_parquet.py: raw's partitions that changed rewritten, the small tables copied) and
   declared as Spark tables: the step reads what the loader and the Python steps wrote last,
   whichever step it is;
2. dbt itself, with the arguments given (a night's `dbt build`, its tests included);
3. every table Spark holds for a dbt schema becomes a view of the same name in the DuckDB
   warehouse over the Parquet files Spark wrote (`mirror`), so the Python steps after it (identity,
   CLV, guide exports, publishing) read Spark's rows through the SQL they use on DuckDB.

On a Spark Thrift server (SIYU_ENGINE=spark_thrift, docs/spark_cluster.md) the same three parts
run against the server: the sources and Spark's tables are in SIYU_SPARK_DIR, a folder this machine
and the server share (the server's `spark.sql.warehouse.dir` is its `warehouse/`), which the server
may read under another name (SIYU_SPARK_SHARED_URL: s3a://…, hdfs://…).

A model Spark keeps as a view has no files to mirror, so every model is a table on Spark (the
staging layer and the RFM views, views on DuckDB, by a config on `target.type`); should one
be built without files all the same, the step fails naming it, rather than the published copy
silently lacking it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb

from engines.raw_parquet import declare, sources
from orchestration.settings import spark_dir, spark_shared_url

# The schemas dbt builds (dbt_project.yml); Spark keeps each as `<warehouse dir>/<schema>.db/`
DBT_SCHEMAS = ("seeds", "staging", "intermediate", "marts")


def spark_tables(warehouse_dir: Path) -> dict[tuple[str, str], Path]:
    """{(schema, table): folder} of every table Spark wrote for a dbt schema: its managed tables are
    Parquet folders under spark.sql.warehouse.dir (profiles.yml), a view has none."""
    found = {}
    for schema in DBT_SCHEMAS:
        for folder in sorted((warehouse_dir / f"{schema}.db").glob("*/")):
            if any(folder.glob("*.parquet")):
                found[(schema, folder.name)] = folder
    return found


def mirror(con: duckdb.DuckDBPyConnection, tables: dict[tuple[str, str], Path]) -> int:
    """Each Spark table as a DuckDB view `<schema>.<table>` over its Parquet files (a table of the
    name, left by a DuckDB build of the same warehouse, is replaced). Returns how many."""
    for (schema, table), folder in tables.items():
        con.execute(f'create schema if not exists "{schema}"')
        kind = con.execute(
            "select table_type from information_schema.tables where table_catalog = current_database() "
            "and table_schema = ? and table_name = ?", [schema, table]).fetchone()
        if kind and kind[0] == "BASE TABLE":
            con.execute(f'drop table "{schema}"."{table}"')
        files = str(folder / "*.parquet").replace("'", "''")
        con.execute(f'create or replace view "{schema}"."{table}" as select * from read_parquet(\'{files}\')')
    return len(tables)


def built_without_files(results, tables: dict[tuple[str, str], Path]) -> list[str]:
    """The models dbt built in this step (`results`: dbt's RunExecutionResult) that have no table
    files: a Python step or the published copy would miss them, or read an earlier build's rows."""
    return sorted(
        f"{r.node.schema}.{r.node.alias}" for r in getattr(results, "results", None) or []
        if r.node.resource_type == "model" and r.status == "success"
        and (r.node.schema, r.node.alias) not in tables
    )


def run(args: list[str]) -> int:
    """One dbt step on Spark (the module's three parts); dbt's exit code: 0 success, 1 a node
    failed, 2 an error (dbt's own, or the sources not declared)."""
    from dbt.cli.main import dbtRunner

    warehouse = Path(os.environ["SIYU_WAREHOUSE"])
    folder = spark_dir()
    exported, synced = sources(warehouse, folder / "sources")
    runner = dbtRunner()
    # where Spark reads them: the same folder, or (a Thrift server elsewhere) its URL for it
    located = f"{spark_shared_url()}/sources"
    declared = runner.invoke([*declare(located, list(exported), synced.partitioned()), "--quiet"])
    if not declared.success:
        print(f"siyu-dbt-spark: sources not declared: {declared.exception}", file=sys.stderr)
        return 2
    result = runner.invoke(args)
    tables = spark_tables(folder / "warehouse")
    with duckdb.connect(str(warehouse)) as con:  # the models that did build are mirrored, too
        mirror(con, tables)
    if without_files := built_without_files(result.result, tables):
        print(f"siyu-dbt-spark: built on Spark without files for the Python steps to read (a view? "
              f"every model is a table on Spark, docs/engines.md): {', '.join(without_files)}",
              file=sys.stderr)
        return 2
    if result.success:
        return 0
    if result.exception is None:
        return 1
    print(f"dbt: {result.exception}", file=sys.stderr)
    return 2


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
