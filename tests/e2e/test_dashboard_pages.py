"""The operators' dashboard over the shared small brand's published copy (conftest.small_brand: no run
of its own): every page renders with rows in every section, the quality page included."""

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
pytest.importorskip("streamlit", reason="the dashboard extra is not installed: pip install -e '.[dashboard]'")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboard"))
from pages_check import PAGES, check_pages  # noqa: E402


def test_every_page_has_rows_on_the_small_brand(small_brand):
    assert small_brand["ok"]
    seen = check_pages(small_brand["settings"].published)
    assert list(seen) == PAGES
    assert seen["quality"]["metrics"] == 4  # passed, warned, failed, quarantined rows: the summary is there
