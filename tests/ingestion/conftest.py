"""Fixtures shared by the loader tests."""

import pytest
from test_loader_support import warehouse


@pytest.fixture
def con():
    """A fresh in-memory warehouse with every raw table."""
    yield from warehouse()
