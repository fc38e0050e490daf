"""Siyu's Dagster definitions over given daily partitions:
landing → raw → dbt (staging, intermediate, marts), identity and CLV steps → published copy;
the guides' task lists as files beside the warehouse."""

from __future__ import annotations

from dagster import DailyPartitionsDefinition, Definitions, in_process_executor

from orchestration.defs.checks import RAW_CHECKS
from orchestration.defs.clv import clv_predictions
from orchestration.defs.dbt import siyu_dbt_models
from orchestration.defs.failures import quality_after_a_stopped_night_for
from orchestration.defs.guide_exports import guide_task_lists
from orchestration.defs.identity import identity_graph
from orchestration.defs.ingestion import landing_assets
from orchestration.defs.jobs import nightly
from orchestration.defs.logging import siyu_console
from orchestration.defs.publish import published_marts
from orchestration.defs.pulls import pull_definitions
from orchestration.defs.resources import build_resources
from orchestration.defs.sensors import landing_sensor_for


def build_definitions(partitions: DailyPartitionsDefinition, automation: bool = False,
                      dbt_executable: str | None = None) -> Definitions:
    """`automation`: the schedules and the landing sensor start running (production, `siyu serve`).
    `dbt_executable`: what the dbt steps run (build_resources).
    Pull assets (orchestration/defs/pulls.py) join only for sources whose credentials are set.
    Every run executes in one process, as `siyu run` does: Dagster's multiprocess executor costs
    ~2 s a step here and would let two steps open DuckDB's one writer at once."""
    job, schedule = nightly(partitions, running=automation)
    pulls = pull_definitions(partitions, running=automation)  # none without credentials
    return Definitions(
        assets=[
            *landing_assets(partitions), siyu_dbt_models, identity_graph, clv_predictions, published_marts,
            guide_task_lists,
            *pulls["assets"],
        ],
        asset_checks=RAW_CHECKS,
        jobs=[job, *pulls["jobs"]],
        schedules=[*pulls["schedules"], schedule],
        sensors=[landing_sensor_for(job, running=automation),
                 quality_after_a_stopped_night_for(job, running=automation)],
        executor=in_process_executor,
        resources=build_resources(dbt_executable),
        loggers={"siyu_console": siyu_console},
    )
