"""The committed dbt source YAML is what the contracts generate now.

A contract change (a new field, a renamed entity) without `python -m ingestion.contracts.dbt_sources`
would leave dbt reading columns the loader no longer writes; this test catches it.
"""

from __future__ import annotations

import pytest

from ingestion.contracts import CONTRACTS
from ingestion.contracts.dbt_sources import STAGING_DIR, path_for, render, sources

REGENERATE = "out of date: run `python -m ingestion.contracts.dbt_sources`"


@pytest.mark.parametrize("source", sources())
def test_source_yaml_matches_contracts(source: str) -> None:
    path = path_for(source)
    assert path.exists(), f"{path} missing: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == render(source), f"{path} {REGENERATE}"


def test_no_stale_source_files() -> None:
    """A removed source leaves no YAML behind declaring tables the loader no longer creates."""
    committed = {p.parent.name for p in STAGING_DIR.glob("*/_*__sources.yml")}
    # `identity` and `value` are written by the pipeline's own Python steps (identity graph, CLV),
    # not by a landing.
    assert committed - {"identity", "value"} == {c.source for c in CONTRACTS.values()}


def test_dbt_keeps_the_business_timezone_of_the_contracts() -> None:
    """dbt's `siyu_timezone` var is not a setting: it must equal the contracts' business time zone,
    which the loader, the checks, the partitions and retention use."""
    import yaml

    from ingestion.contracts.model import BUSINESS_TIMEZONE
    from orchestration.settings import DBT_PROJECT_DIR

    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    assert project["vars"]["siyu_timezone"] == BUSINESS_TIMEZONE
