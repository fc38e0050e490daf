"""The published copy of the marts: what BI tools open, so they never block the pipeline's writer."""

import os
from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, asset
from dagster_dbt.dbt_manifest import read_manifest_path

from ingestion.landing.changes import clear_rebuild_requests, promote_pending
from orchestration.artefacts import prune, retain_days
from orchestration.defs.dbt import DBT_PROJECT, siyu_dbt_models
from orchestration.defs.freshness import NIGHTLY
from orchestration.defs.resources import Warehouse
from orchestration.model_code import code_fingerprints
from orchestration.model_code import record as record_code
from orchestration.publish import dbt_descriptions, export_parquet, publish
from orchestration.settings import DBT_TARGET_DIR, published_storage_version

MART_KEYS = [key for key in siyu_dbt_models.keys if key.path[0] == "marts"]


@asset(
    key=["publish", "marts"],
    deps=MART_KEYS,
    group_name="publish",
    pool="duckdb",
    kinds={"duckdb"},
    freshness_policy=NIGHTLY,
)
def published_marts(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    """Copies schema `marts` to $SIYU_PUBLISHED (default <warehouse>.published.duckdb) and swaps it in
    atomically, identifiers (`id_value`) as keyed hashes, dbt's descriptions as comments, in the
    storage format of $SIYU_PUBLISHED_STORAGE_VERSION (v1.1.0: DuckDB 1.1+ clients open it), and, when
    $SIYU_PUBLISHED_PARQUET names a folder, one Parquet file per mart there. Runs only when every
    mart built, so a failed night leaves yesterday's copy in place."""
    target = Path(os.environ.get("SIYU_PUBLISHED") or Path(warehouse.path).with_suffix(".published.duckdb"))
    version = published_storage_version()
    with warehouse.connect() as con:
        counts = publish(con, target, secret=warehouse.salt, storage_version=version,
                         descriptions=dbt_descriptions(DBT_PROJECT.manifest_path))
        built = promote_pending(con, context.run_id)  # this run's landing folders are built now
        clear_rebuild_requests(con)  # the run rebuilt from scratch (orchestration/defs/dbt.py)
        # and the incremental models' rows are those of the code the project holds now
        record_code(con, code_fingerprints(read_manifest_path(DBT_PROJECT.manifest_path)))
    if parquet := os.environ.get("SIYU_PUBLISHED_PARQUET"):
        files = export_parquet(target, Path(parquet))
        context.log.info(f"{len(files)} marts as Parquet in {parquet}")
    context.log.info(f"published {len(counts)} marts to {target} (storage {version}); "
                     f"{built} landing folders recorded as built")
    _prune_artefacts(context, Path(warehouse.path))
    return MaterializeResult(
        metadata={"path": str(target), "tables": len(counts), "storage_version": version, **counts}
    )


def _prune_artefacts(context: AssetExecutionContext, warehouse: Path) -> None:
    """A published night deletes run artefacts older than $SIYU_RETAIN_RUNS_DAYS (orchestration/
    artefacts.py); pruning that fails is reported, never a failed night."""
    try:
        pruned = prune(context.instance, DBT_TARGET_DIR, warehouse.parent / "logs", retain_days(),
                       current_run=context.run_id)
        context.log.info(pruned.line())
    except Exception as exc:  # noqa: BLE001 — the marts are published; the artefacts wait a night
        context.log.warning(f"run artefacts not pruned: {exc!r}")
