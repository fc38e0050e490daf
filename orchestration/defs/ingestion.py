"""Ingestion assets: one per landing entity, keyed [source, entity] as dbt's source() expects."""

from datetime import timedelta

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, BackfillPolicy, MaterializeResult, asset

from ingestion.contracts import CONTRACTS, Contract
from ingestion.daily import load_range
from orchestration.defs.partitions import DAILY
from orchestration.defs.resources import Warehouse


def build_ingestion_asset(contract: Contract) -> AssetsDefinition:
    @asset(
        key=AssetKey([contract.source, contract.entity]),
        partitions_def=DAILY,
        # A backfill of many days is one run looping over days: ~2 s of run overhead, not 2 s a day.
        backfill_policy=BackfillPolicy.single_run(),
        group_name="landing",
        pool="duckdb",
        kinds={"duckdb", "python"},
        description=(
            f"Raw `{contract.source}/{contract.entity}` ({contract.kind}) loaded from "
            f"$SIYU_LANDING_DIR/{contract.source}/{contract.entity}/<date>/ into raw.{contract.table}; "
            "each day replaced as a whole; rejected rows in raw._quarantine."
        ),
    )
    def _ingest(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
        window = context.partition_time_window
        first, last = window.start.date(), (window.end - timedelta(days=1)).date()
        with warehouse.connect() as con:
            summary = load_range(con, warehouse.landing, contract, first, last, warehouse.salt, context.log.info)
        if summary.extra_columns:
            context.log.warning(f"{contract.table}: unexpected columns {sorted(summary.extra_columns)}")
        return MaterializeResult(metadata=summary.metadata())

    return _ingest


INGESTION_ASSETS = [build_ingestion_asset(c) for c in CONTRACTS.values()]
