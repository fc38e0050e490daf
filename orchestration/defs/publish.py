"""The published copy of the marts: what BI tools open, so they never block the pipeline's writer."""

import os
from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, asset

from orchestration.defs.clv import CLV_KEYS
from orchestration.defs.dbt import siyu_dbt_models
from orchestration.defs.freshness import NIGHTLY
from orchestration.defs.resources import Warehouse
from orchestration.publish import publish

MART_KEYS = [key for key in siyu_dbt_models.keys if key.path[0] == "marts"]


@asset(
    key=["publish", "marts"],
    deps=[*MART_KEYS, *CLV_KEYS],
    group_name="publish",
    pool="duckdb",
    kinds={"duckdb"},
    freshness_policy=NIGHTLY,
)
def published_marts(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    """Copies schema `marts` to $SIYU_PUBLISHED (default <warehouse>.published.duckdb) and swaps it in
    atomically, identifiers (`id_value`) as keyed hashes. Runs only when every mart built, so a failed
    night leaves yesterday's copy in place."""
    target = Path(os.environ.get("SIYU_PUBLISHED") or Path(warehouse.path).with_suffix(".published.duckdb"))
    with warehouse.connect() as con:
        counts = publish(con, target, secret=warehouse.salt)
    context.log.info(f"published {len(counts)} marts to {target}")
    return MaterializeResult(metadata={"path": str(target), "tables": len(counts), **counts})
