"""Shared by the end-to-end tests: the settings of a simulated brand living under one folder (the
small brand they share, `small_brand`, is in tests/conftest.py: tests/engines builds it on Spark)."""

import pytest
from small_brand import point_at

from orchestration.settings import Settings


@pytest.fixture(scope="module")
def brand_env():
    """A function (landing, root, salt) → Settings, with the environment pointing at that brand for
    the rest of the module (dbt, a subprocess, reads the same variables)."""
    with pytest.MonkeyPatch.context() as mp:

        def settings_for(landing, root, salt: str) -> Settings:
            return point_at(mp, landing, root, salt)

        yield settings_for
