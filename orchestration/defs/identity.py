"""Identity resolution: between dbt's identity inputs and everything that counts customers."""

from dagster import AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, multi_asset

from identity.warehouse import resolve_identities
from orchestration.defs.resources import Warehouse
from orchestration.settings import identity_rules

INPUTS = [
    AssetKey(["intermediate", "int_identity__nodes"]),
    AssetKey(["intermediate", "int_identity__links"]),
]
TABLES = {
    "customer_map": "Every linkable identifier and the customer it resolves to.",
    "customers": "Resolved people with the time they were first seen (test, staff and other-corp included).",
    "changes": "Merges and splits of customer ids between runs.",
    "rejected": "Identifiers kept out of linking (over-shared phones, unique-type and account vetoes).",
}


@multi_asset(
    specs=[
        AssetSpec(
            ["identity", t], deps=INPUTS, description=d, group_name="identity", kinds={"python", "duckdb"}
        )
        for t, d in TABLES.items()
    ],
    pool="duckdb",
)
def identity_graph(context: AssetExecutionContext, warehouse: Warehouse):
    """Connected components over identifier links (scipy csgraph) with merge protection, then stable
    customer ids: merges keep the oldest id, splits get new ones, every change is recorded.
    Incremental: only link-graph components with a changed link or a new identifier are recomputed;
    a full run when there is no previous state, the rules changed or over 30% of identifiers are
    touched. Metadata `path`, `identifiers_touched` and `components_recomputed` say which ran."""
    with warehouse.connect() as con:
        metadata = resolve_identities(con, **identity_rules(), secret=warehouse.salt)
    context.log.info(f"identity ({metadata['path']}: {metadata['path_reason']}): {metadata}")
    for table in TABLES:
        yield MaterializeResult(asset_key=AssetKey(["identity", table]), metadata=metadata)


def clv_selected(asset_selection) -> bool:
    """Whether a run with this asset selection (None: every asset) fits CLV (orchestration/defs/clv.py)."""
    from orchestration.defs.clv import CLV_KEYS

    return asset_selection is None or any(key in asset_selection for key in CLV_KEYS)
