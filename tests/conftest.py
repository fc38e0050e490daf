"""The suite on several workers (`make test` runs `pytest -n 2`, pytest-xdist).

Three things make that safe and short:
- each worker has its own dbt target folder (dbt's DBT_TARGET_PATH, read by orchestration.settings
  at import): two nights parsing and running dbt side by side would otherwise write one manifest;
- tests are sent to workers a module at a time (modules share expensive module-scoped fixtures),
  and the modules judging the one small brand run (`small_brand` below, which a second night of
  test_pipeline changes; tests/engines/test_spark_small_brand.py builds it on Spark before that) go
  to the same worker, as do the Spark nights' modules (tests/engines/conftest.py `spark_brand`,
  `make test-spark`);
- the slowest modules are collected first, so the last minutes are not one worker running one long
  module while the other waits (longest-first keeps the two workers' totals close).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER:
    # A worker's __main__ is execnet's bootstrap, without a file. Where the spark extra is installed,
    # GX imports pyspark.sql.connect, whose dependency check takes such a __main__ for a doctest run
    # and exits the process (sys.exit(0)) when Spark Connect's gRPC packages are missing: every
    # night's raw checks then fail with SystemExit. Named as a worker, it is not taken for one.
    sys.modules["__main__"].__dict__.setdefault("__file__", "<pytest-xdist worker>")
if _WORKER and "DBT_TARGET_PATH" not in os.environ:
    # under target/, which dbt's parse-state hash and .gitignore already leave out
    os.environ["DBT_TARGET_PATH"] = f"target/workers/{_WORKER}"
# The small brand's helpers (tests/e2e/small_brand.py, marts_digest.py), for `small_brand` below
# when only modules outside tests/e2e are collected
sys.path.append(str(Path(__file__).parent / "e2e"))

# Modules sent to one worker together: they judge one shared pipeline run.
SHARED_RUN = {"test_pipeline.py", "test_metamorphic.py", "test_console_output.py", "test_pulled_landing.py",
              "test_dashboard_pages.py", "test_spark_small_brand.py"}
# The Spark modules share one brand built on both engines (tests/engines/conftest.py, session-scoped).
SPARK_RUN = {"test_spark_staging.py", "test_spark_intermediate.py", "test_spark_marts.py",
             "test_spark_pipeline.py"}

# Slowest first (seconds measured on a clean clone, `--durations`); the rest keep their order.
SLOW_FIRST = [
    "tests/e2e/test_console_output.py",  # the shared run's three modules, in their own order:
    "tests/e2e/test_metamorphic.py",     # test_pipeline runs the brand a second night
    "tests/e2e/test_pulled_landing.py",
    "tests/e2e/test_dashboard_pages.py",
    "tests/engines/test_spark_small_brand.py",  # the brand's models on Spark, before its second night
    "tests/e2e/test_pipeline.py",
    "tests/orchestration/test_forget.py",
    "tests/e2e/test_broken_days.py",
    "tests/e2e/test_incremental_nights.py",
    "tests/engines/test_spark_intermediate.py",  # the Spark modules, in their own order (skipped
    "tests/engines/test_spark_marts.py",         # where Spark is not installed)
    "tests/engines/test_spark_staging.py",
    "tests/engines/test_spark_pipeline.py",
    "tests/e2e/test_privacy_scan.py",
    "tests/e2e/test_documented_landing.py",
    "tests/dbt/test_reconciliations.py",
    "tests/dbt/test_metrics.py",
    "tests/dbt/test_guide_tasks.py",
    "tests/dbt/test_unit_tests.py",
    "tests/dbt/test_layers.py",
    "tests/dbt/test_rfm_pandas.py",
    "tests/dbt/test_identifier_values.py",
]


def pytest_configure(config):
    """dbt's manifest, current, before any test module is collected: modules that import the Dagster
    definitions at the top (the dbt assets read the manifest at import) would otherwise meet a missing
    one on a fresh clone, or a stale one left by an older checkout. Each worker parses into its own
    target folder; the xdist controller runs no test and parses nothing."""
    if config.getoption("numprocesses", default=None) and not hasattr(config, "workerinput"):
        return
    from orchestration.dbtparse import parse_dbt_project

    parse_dbt_project()


@pytest.fixture(scope="module")
def no_night_workers():
    """A module's nights with every step in the test's own process (SIYU_NIGHT_WORKERS=0): a module
    running many nights then imports GX and the CLV fit's modules once, where each night's workers
    would import them again (~9 s of CPU a night, on cores the other test worker is using). The
    workers' path is judged on the small brand's run, the incremental nights and
    tests/orchestration/test_ahead.py; this one is the path of runs from the UI and the schedule."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIYU_NIGHT_WORKERS", "0")
        yield


@pytest.fixture(scope="session")
def small_brand(tmp_path_factory):
    """One small simulated brand run once, shared by the modules that judge it (test_pipeline against
    the truth, test_metamorphic against other deliveries, tests/engines/test_spark_small_brand.py
    built again on Spark): a pipeline run is a minute of the suite. Modules that run it again call
    settings_for(landing, root, SMALL_BRAND_SALT) (tests/e2e/conftest.py) first."""
    import io
    from contextlib import redirect_stderr

    from dagster import DagsterInstance
    from marts_digest import marts_digest
    from small_brand import SMALL_BRAND, SMALL_BRAND_SALT, point_at

    from orchestration.pipeline import run_pipeline
    from orchestration.progress import run_log
    from simulator import simulate

    root = tmp_path_factory.mktemp("small_brand")
    landing = root / "landing"
    simulate(landing, **SMALL_BRAND)
    with pytest.MonkeyPatch.context() as mp:
        settings = point_at(mp, landing, root, SMALL_BRAND_SALT)
        mp.setenv("SIYU_NIGHT_WORKERS", "1")  # `siyu run` as on any machine of 2 cores or more
        console = io.StringIO()  # what `siyu run` shows (test_console_output.py judges it)
        with redirect_stderr(console), run_log(root) as log, DagsterInstance.ephemeral() as instance:
            ok = run_pipeline(settings, instance=instance)
        return {
            "root": root, "landing": landing, "ok": ok, "settings": settings,
            "console": console.getvalue(), "log": log,
            "digest": marts_digest(settings.warehouse),
            "canonical": marts_digest(settings.warehouse, canonical_ids=True),
            "published_digest": marts_digest(settings.published),
        }


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(session, config, items):
    rank = {path: i for i, path in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(_module(item.nodeid), len(rank)))  # stable: modules stay whole


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadFileScheduling

    class ModulesTogether(LoadFileScheduling):
        """A module is a unit of work; the modules of a shared run (the small brand's, the Spark
        brand's) are one unit."""

        def _split_scope(self, nodeid: str) -> str:
            module = _module(nodeid)
            if Path(module).name in SHARED_RUN:
                return "small brand run"
            return "spark brand run" if Path(module).name in SPARK_RUN else module

    config.option.loadscopereorder = False  # keep the slowest-first order above
    return ModulesTogether(config, log)
