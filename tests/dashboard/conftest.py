"""The hand-built published copy (tiny_copy.py) and an AppTest of the dashboard reading it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tiny_copy import build

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


@pytest.fixture(scope="session")
def tiny_copy(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("dashboard") / "brand.published.duckdb")


@pytest.fixture
def app(tiny_copy, monkeypatch):
    """The dashboard, run once over the tiny copy; `app.page(name)` switches the sidebar's page."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SIYU_DASHBOARD_PUBLISHED", str(tiny_copy))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    return at
