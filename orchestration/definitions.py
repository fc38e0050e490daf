"""Siyu's Dagster definitions: landing → raw → dbt (staging, intermediate, marts) → published copy."""

from dagster import Definitions

from orchestration.defs.checks import RAW_CHECKS
from orchestration.defs.clv import clv_predictions
from orchestration.defs.dbt import siyu_dbt_models
from orchestration.defs.identity import identity_graph
from orchestration.defs.ingestion import INGESTION_ASSETS
from orchestration.defs.jobs import nightly_schedule
from orchestration.defs.logging import siyu_console
from orchestration.defs.publish import published_marts
from orchestration.defs.resources import build_resources
from orchestration.defs.sensors import landing_sensor

defs = Definitions(
    assets=[*INGESTION_ASSETS, siyu_dbt_models, identity_graph, clv_predictions, published_marts],
    asset_checks=RAW_CHECKS,
    schedules=[nightly_schedule],
    sensors=[landing_sensor],
    resources=build_resources(),
    loggers={"siyu_console": siyu_console},
)
