"""Shared by the end-to-end tests: the settings of a simulated brand living under one folder."""

import io
from contextlib import redirect_stderr

import pytest
from small_brand import SMALL_BRAND, SMALL_BRAND_SALT

from orchestration.settings import Settings


@pytest.fixture(scope="module")
def brand_env():
    """A function (landing, root, salt) → Settings, with the environment pointing at that brand for
    the rest of the module (dbt, a subprocess, reads the same variables)."""
    with pytest.MonkeyPatch.context() as mp:

        def settings_for(landing, root, salt: str) -> Settings:
            mp.setenv("SIYU_LANDING_DIR", str(landing))
            mp.setenv("SIYU_WAREHOUSE", str(root / "warehouse.duckdb"))
            mp.setenv("SIYU_PHONE_SALT", salt)
            mp.delenv("SIYU_PUBLISHED", raising=False)
            settings = Settings.from_env()
            settings.export()
            return settings

        yield settings_for


@pytest.fixture(scope="session")
def small_brand(tmp_path_factory):
    """One small simulated brand run once, shared by the modules that judge it (test_pipeline against
    the truth, test_metamorphic against other deliveries): a pipeline run is a minute of the suite.
    Modules that run it again call settings_for(landing, root, SMALL_BRAND_SALT) first."""
    from dagster import DagsterInstance
    from marts_digest import marts_digest

    from orchestration.pipeline import run_pipeline
    from orchestration.progress import run_log
    from simulator import simulate

    root = tmp_path_factory.mktemp("small_brand")
    landing = root / "landing"
    simulate(landing, **SMALL_BRAND)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIYU_LANDING_DIR", str(landing))
        mp.setenv("SIYU_WAREHOUSE", str(root / "warehouse.duckdb"))
        mp.setenv("SIYU_PHONE_SALT", SMALL_BRAND_SALT)
        mp.delenv("SIYU_PUBLISHED", raising=False)
        settings = Settings.from_env()
        settings.export()
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
