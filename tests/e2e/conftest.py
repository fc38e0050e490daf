"""Shared by the end-to-end tests: the settings of a simulated brand living under one folder (the
small brand they share, `small_brand`, is in tests/conftest.py: tests/engines builds it on Spark)."""

import pytest

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
