"""Ingestion: one asset per landing entity, keyed [source, entity] as dbt's source() expects.

The 26 entities share one subsettable multi-asset: in process each Dagster step costs ~2.5 s
here, so one step loading every selected entity beats 26 steps (measured: 65 s → 5 s of overhead
on the demo). Selecting one entity in the UI or a sensor still runs just that entity.
"""

from collections import defaultdict
from datetime import timedelta

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    BackfillPolicy,
    Config,
    DailyPartitionsDefinition,
    MaterializeResult,
    multi_asset,
)

from ingestion.contracts import CONTRACTS, Contract
from ingestion.landing.changes import fingerprints, record_pending, split_key
from ingestion.landing.layout import discover
from ingestion.load.daily import load_range
from ingestion.load.loader import ensure_raw_schema
from ingestion.write.strays import record_unknown_files
from orchestration.defs.freshness import NIGHTLY
from orchestration.defs.resources import Warehouse


def _spec(contract: Contract) -> AssetSpec:
    return AssetSpec(
        key=AssetKey([contract.source, contract.entity]),
        group_name="landing",
        kinds={"duckdb", "python"},
        freshness_policy=NIGHTLY,
        description=(
            f"Raw `{contract.source}/{contract.entity}` ({contract.kind}) loaded from "
            f"$SIYU_LANDING_DIR/{contract.source}/{contract.entity}/<date>/ into raw.{contract.table}; "
            "each day replaced as a whole; rejected rows in raw._quarantine."
        ),
    )


CONTRACT_BY_KEY = {AssetKey([c.source, c.entity]): c for c in CONTRACTS.values()}


class LandingConfig(Config):
    """`folders`: load only these `source/entity/YYYY-MM-DD` folders of the range (`siyu run` passes
    the new and changed ones; an entity with none is left as it is). Unset (the schedule, the
    sensor, the UI): every folder of the partition range."""

    folders: list[str] | None = None


def _folders_by_key(folders: list[str] | None) -> dict[AssetKey, set] | None:
    if folders is None:
        return None
    out: dict[AssetKey, set] = defaultdict(set)
    for folder in folders:
        source, entity, day = split_key(folder)
        out[AssetKey([source, entity])].add(day)
    return out


def _loaded_prints(landing, keys, first, last, only) -> dict[str, str]:
    """Fingerprints of the folders this step loads: the selected entities' days in [first, last],
    or of those the only ones given."""
    out = {}
    for folder, digest in fingerprints(landing).items():
        source, entity, day = split_key(folder)
        key = AssetKey([source, entity])
        if key in keys and first <= day <= last and (only is None or day in only.get(key, set())):
            out[folder] = digest
    return out


def landing_assets(partitions: DailyPartitionsDefinition) -> list[AssetsDefinition]:
    """The landing multi-asset over these partitions (the definitions pass theirs)."""

    @multi_asset(
        specs=[_spec(c) for c in CONTRACTS.values()],
        partitions_def=partitions,
        # A backfill of many days is one run looping over days, not one run per day.
        backfill_policy=BackfillPolicy.single_run(),
        can_subset=True,
        pool="duckdb",
        name="landing",
    )
    def landing(context: AssetExecutionContext, config: LandingConfig, warehouse: Warehouse):
        """Load the selected entities' landing days in the partition range into raw tables."""
        window = context.partition_time_window
        first, last = window.start.date(), (window.end - timedelta(days=1)).date()
        only = _folders_by_key(config.folders)
        # before reading: a file changed while the night runs makes the next night load it again
        prints = _loaded_prints(warehouse.landing, context.selected_asset_keys, first, last, only)
        with warehouse.connect() as con:
            ensure_raw_schema(con)  # dbt's sources read every raw table, loaded tonight or not
            strays = record_unknown_files(con, discover(warehouse.landing))
            if strays:
                context.log.warning(f"{strays} files outside the landing layout quarantined "
                                    "(see raw._quarantine)")
            for key in sorted(context.selected_asset_keys, key=lambda k: k.path):
                contract = CONTRACT_BY_KEY[key]
                days = None if only is None else only.get(key, set())
                summary = load_range(con, warehouse.landing, contract, first, last, warehouse.salt,
                                     context.log.info, only=days)
                if summary.extra_columns:
                    extra = sorted(summary.extra_columns)
                    context.log.warning(f"{contract.table}: unexpected columns {extra}")
                yield MaterializeResult(asset_key=key, metadata=summary.metadata())
            record_pending(con, context.run_id, prints)

    return [landing]
