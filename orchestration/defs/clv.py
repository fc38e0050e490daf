"""Predicted customer lifetime value: a Python step after the marts it reads, before publishing."""

from dagster import AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, multi_asset

from orchestration.defs.resources import Warehouse
from orchestration.settings import dbt_vars
from orchestration.worker import NIGHT_WORKERS
from value.clv import HOLDOUT_DAYS
from value.handoff import NAME, Handed, handoff_path
from value.warehouse import SCHEMA, build_clv, empty_predictions, write_fitted

INPUTS = [
    AssetKey(["intermediate", "int_purchases"]),
    AssetKey(["intermediate", "int_calendar__bounds"]),
    AssetKey(["marts", "user_assets"]),
]
TABLES = {
    "clv_predictions": "Per customer with a purchase: expected purchases and value (元) over the next 90 and "
    "365 days, probability alive (BG/NBD + Gamma-Gamma).",
    "clv_calibration": "Per as-of date: the model refitted without the last holdout days, predicted against "
    "actual purchases and value in those days.",
}
# the CLV step's own schema; the dbt marts of the same names publish them (models/marts/value)
CLV_KEYS = [AssetKey([SCHEMA, table]) for table in TABLES]


def clv_holdout() -> int:
    return int(dbt_vars().get("clv_holdout_days", HOLDOUT_DAYS))


def _handed(context: AssetExecutionContext) -> Handed | None:
    """The fit's worker's answer (`siyu run`, value/handoff.py), or None: no fit was handed over, or it
    failed there (logged; the step then fits here)."""
    workers = NIGHT_WORKERS.get()
    worker = workers.started.get(NAME) if workers is not None else None
    if worker is None or not worker.used:
        return None
    try:
        return worker.result(wait_exit=False)  # the fit holds no warehouse open
    except RuntimeError as exc:
        context.log.warning(f"clv: the fit handed over failed, fitted here instead: {exc}")
        return None


@multi_asset(
    specs=[
        AssetSpec(
            key, deps=INPUTS, description=TABLES[key.path[-1]], group_name="value", kinds={"python", "duckdb"}
        )
        for key in CLV_KEYS
    ],
    pool="duckdb",
)
def clv_predictions(context: AssetExecutionContext, warehouse: Warehouse):
    """BG/NBD (purchase frequency) and Gamma-Gamma (spend per purchase) fitted by MAP with pymc-marketing
    on every purchase up to the latest loaded date, plus a holdout calibration of the same model."""
    handoff = handoff_path(warehouse.path)
    try:
        handed = _handed(context)
        with warehouse.connect() as con:
            try:
                if handed is not None and handed.matches(con):  # fitted on exactly what is read here
                    metadata = write_fitted(con, handed.fitted)
                    context.log.info("clv: fitted in a worker process while dbt built the marts")
                else:
                    if handed is not None:
                        context.log.warning("clv: the fit handed over read other purchases; fitted here")
                    metadata = build_clv(con, holdout_days=clv_holdout())
            except Exception as exc:  # noqa: BLE001 — a prediction must not hold back the marts it reads
                # The spec's marts are built and checked by now; a model that cannot be fitted tonight
                # (a compiler missing, a degenerate history) empties its predictions rather than
                # leaving yesterday's on show, and says why. Publishing goes on.
                context.log.error(f"clv: not fitted, predictions emptied: {exc!r}")
                empty_predictions(con)
                metadata = {"status": f"failed: {exc!r}"[:500], "rows": 0}
    finally:
        handoff.unlink(missing_ok=True)
    context.log.info(f"clv: {metadata}")
    metadata = {k: v for k, v in metadata.items() if v is not None}
    for key in CLV_KEYS:
        yield MaterializeResult(asset_key=key, metadata=metadata)
