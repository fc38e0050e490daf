"""Siyu's Dagster assets, checks, jobs and resources (assembled in orchestration/definitions.py)."""

import warnings

from dagster import BetaWarning

# Single-run backfills (backfill_policy) are beta in Dagster 1.13; we rely on them knowingly. Here,
# in the package every definition module is imported through, so the filter precedes them all.
warnings.filterwarnings("ignore", category=BetaWarning)
