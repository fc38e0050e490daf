import duckdb
import pytest


@pytest.fixture
def pair(tmp_path):
    """Two warehouses fed the same links: one resolved incrementally, one in full."""
    cons = duckdb.connect(str(tmp_path / "inc.duckdb")), duckdb.connect(str(tmp_path / "full.duckdb"))
    yield cons
    for con in cons:
        con.close()
