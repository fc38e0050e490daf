"""CLV against the warehouse: read purchases, write value.clv_predictions and value.clv_calibration.

Input (dbt models):
  intermediate.int_purchases         customer_id, purchase_date (Beijing), net_amount — one row per purchase
  intermediate.int_calendar__bounds  last_date — the as-of date
  marts.user_assets                  customer_id — only its customers get a prediction
Output (schema `value`, the CLV step's own; the dbt marts clv_predictions and clv_calibration
publish them, with their contract and tests):
  clv_predictions  one row per customer with a purchase, as of the latest loaded date; replaced each run
  clv_calibration  one row per as-of date: the holdout check of the same model; a re-run replaces its row
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from value.clv import (
    HOLDOUT_DAYS,
    MODEL_NAME,
    NotEnoughData,
    calibrate,
    fit,
    model_version,
    predict,
    summarise,
)

PURCHASES = """
    select purchases.customer_id, purchases.purchase_date, cast(purchases.net_amount as double) as net_amount
    from intermediate.int_purchases as purchases
    semi join marts.user_assets as customers on purchases.customer_id = customers.customer_id
    order by all
"""
SCHEMA = "value"
MONEY = "decimal(18,2)"
PREDICTION_COLUMNS = {
    "customer_id": "varchar",
    "as_of_date": "date",
    "frequency": "integer",
    "recency_days": "integer",
    "t_days": "integer",
    "avg_monetary_value": MONEY,
    "expected_spend_per_purchase": MONEY,
    "expected_purchases_90d": "double",
    "expected_purchases_365d": "double",
    "expected_value_90d": MONEY,
    "expected_value_365d": MONEY,
    "probability_alive": "double",
    "model_name": "varchar",
    "model_version": "varchar",
}
CALIBRATION_COLUMNS = {
    "as_of_date": "date",
    "calibration_end_date": "date",
    "holdout_days": "integer",
    "customers": "integer",
    "predicted_purchases": "double",
    "actual_purchases": "integer",
    "purchases_ratio": "double",
    "mae_purchases": "double",
    "rmse_purchases": "double",
    "predicted_value": MONEY,
    "actual_value": MONEY,
    "value_ratio": "double",
    "status": "varchar",
    "model_name": "varchar",
    "model_version": "varchar",
}


def build_clv(con: duckdb.DuckDBPyConnection, holdout_days: int = HOLDOUT_DAYS) -> dict:
    """Fit on all purchases up to the as-of date, predict, calibrate on a holdout, write both marts.
    Too little data (an empty or young warehouse) writes no predictions and says why in `status`."""
    as_of = con.execute("select last_date from intermediate.int_calendar__bounds").fetchone()[0]
    return write_fitted(con, fit_clv(con.execute(PURCHASES).df(), as_of, holdout_days))


@dataclass
class Fitted:
    """What the CLV step writes, computed from the purchases and the as-of date alone."""

    as_of: date
    predictions: pd.DataFrame
    calibration: dict
    model: dict  # the model's name, version, status and parameters
    metadata: dict  # what the step reports


def fit_clv(purchases: pd.DataFrame, as_of: date, holdout_days: int = HOLDOUT_DAYS) -> Fitted:
    """`purchases`: PURCHASES' rows. The fit, its predictions and the holdout calibration."""
    summary = summarise(purchases, as_of)
    model: dict = {"as_of_date": str(as_of), "model_name": MODEL_NAME, "model_version": model_version()}
    try:
        fitted = fit(summary)
        predictions = predict(fitted, summary)
        model |= {
            "status": "ok",
            "fit_seconds": round(fitted.fit_seconds, 1),
            **fitted.params,
            "expected_value_365d": round(float(predictions["expected_value_365d"].sum()), 2),
        }
    except NotEnoughData as reason:
        predictions, model["status"] = summary.iloc[:0], f"not fitted: {reason}"
    try:
        calibration = calibrate(purchases, as_of, holdout_days) | {"status": "ok"}
    except NotEnoughData as reason:
        calibration = {"status": f"not calibrated: {reason}"}
    metadata = (
        model
        | {"rows": len(predictions)}
        | {
            k if k.startswith("calibration") else f"calibration_{k}": str(v) if k.endswith("date") else v
            for k, v in calibration.items()
        }
    )
    return Fitted(as_of, predictions, calibration, model, metadata)


def write_fitted(con: duckdb.DuckDBPyConnection, fitted: Fitted) -> dict:
    """Write what fit_clv computed; returns the step's metadata."""
    write_clv(con, fitted.predictions.assign(as_of_date=fitted.as_of),
              fitted.calibration | {"as_of_date": fitted.as_of}, fitted.model)
    return fitted.metadata


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Both tables exist with every column (the dbt marts read them even on a night the model could
    not be fitted). Warehouses from before the CLV step had its own schema kept the calibration
    history in marts.clv_calibration, which dbt now owns: that history moves here once."""
    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(f"create table if not exists {SCHEMA}.clv_predictions ({_ddl(PREDICTION_COLUMNS)})")
    if not _exists(con, SCHEMA, "clv_calibration") and _exists(con, "marts", "clv_calibration"):
        con.execute(f"create table {SCHEMA}.clv_calibration as select * from marts.clv_calibration")
    con.execute(f"create table if not exists {SCHEMA}.clv_calibration ({_ddl(CALIBRATION_COLUMNS)})")
    for name, kind in CALIBRATION_COLUMNS.items():  # the history outlives a version adding a column
        con.execute(f"alter table {SCHEMA}.clv_calibration add column if not exists {name} {kind}")


def write_clv(
    con: duckdb.DuckDBPyConnection, predictions: pd.DataFrame, calibration: dict, model: dict
) -> None:
    """Replace the predictions table and this as-of date's calibration row, in one transaction."""
    names = {"model_name": model["model_name"], "model_version": model["model_version"]}
    frame = predictions.assign(**names).reindex(columns=list(PREDICTION_COLUMNS))
    row = pd.DataFrame([{column: calibration.get(column) for column in CALIBRATION_COLUMNS} | names])
    con.execute("begin")
    try:
        ensure_tables(con)
        con.execute(f"create or replace table {SCHEMA}.clv_predictions ({_ddl(PREDICTION_COLUMNS)})")
        con.register("_clv_predictions", frame)
        con.execute(
            f"insert into {SCHEMA}.clv_predictions select {_casts(PREDICTION_COLUMNS)} "
            "from _clv_predictions order by customer_id"
        )
        con.execute(
            f"delete from {SCHEMA}.clv_calibration where as_of_date is not distinct from ?",
            [calibration["as_of_date"]],
        )
        con.register("_clv_calibration", row)
        con.execute(
            f"insert into {SCHEMA}.clv_calibration by name select {_casts(CALIBRATION_COLUMNS)} "
            "from _clv_calibration"
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        for view in ("_clv_predictions", "_clv_calibration"):
            con.unregister(view)


def empty_predictions(con: duckdb.DuckDBPyConnection) -> None:
    """A night the model could not be fitted shows no predictions rather than yesterday's."""
    ensure_tables(con)
    con.execute(f"delete from {SCHEMA}.clv_predictions")


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    query = "select 1 from information_schema.tables where table_schema = ? and table_name = ?"
    return con.execute(query, [schema, table]).fetchone() is not None


def _ddl(columns: dict) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in columns.items())


def _casts(columns: dict) -> str:
    # money rounds half away from zero to the cent, as DuckDB's cast to decimal does
    return ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in columns.items())
