"""Shared by the pull tests: a running fake platform, and the small simulated brand."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "e2e"))  # small_brand.py


@pytest.fixture
def fake():
    from fake_platform import FakePlatform

    with FakePlatform() as platform:
        yield platform


@pytest.fixture(scope="session")
def simulated_brand(tmp_path_factory):
    """The small brand's landing files (the one tests/e2e runs), simulated once."""
    from small_brand import SMALL_BRAND

    from simulator import simulate

    landing = tmp_path_factory.mktemp("pull_brand") / "landing"
    simulate(landing, **SMALL_BRAND)
    return landing
