"""SIYU_ENGINE and SIYU_SPARK_DIR (orchestration/settings.py), read as profiles.yml reads them."""

from __future__ import annotations

import pytest
import yaml

from orchestration.settings import DBT_PROJECT_DIR, ENGINES, ConfigError, Settings, engine, spark_dir


def test_duckdb_is_the_default_engine(monkeypatch):
    monkeypatch.delenv("SIYU_ENGINE", raising=False)
    assert engine() == "duckdb"
    monkeypatch.setenv("SIYU_ENGINE", "")
    assert engine() == "duckdb"


@pytest.mark.parametrize("value", ["sparkk", "Spark", " duckdb"])
def test_an_engine_the_profile_has_no_output_for_is_refused_by_name(monkeypatch, value):
    monkeypatch.setenv("SIYU_ENGINE", value)
    with pytest.raises(ConfigError, match=f"SIYU_ENGINE={value}.*duckdb, spark"):
        engine()


def test_the_profile_has_one_output_per_engine_and_picks_it_by_siyu_engine():
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())["siyu"]
    assert sorted(profile["outputs"]) == sorted(ENGINES)
    assert profile["target"] == "{{ env_var('SIYU_ENGINE', '') or 'duckdb' }}"
    assert profile["outputs"]["spark"]["server_side_parameters"]["spark.sql.session.timeZone"] == "UTC"


def test_the_pipeline_refuses_spark_until_its_steps_run_there(monkeypatch, tmp_path):
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("SIYU_ENGINE", "spark")
    with pytest.raises(ConfigError, match="SIYU_ENGINE=spark"):
        Settings.from_env(require_salt=False)


def test_sparks_folder_is_beside_the_warehouse_unless_set(monkeypatch, tmp_path):
    monkeypatch.delenv("SIYU_SPARK_DIR", raising=False)
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "brand" / "warehouse.duckdb"))
    assert spark_dir() == tmp_path / "brand" / "spark"
    monkeypatch.setenv("SIYU_SPARK_DIR", str(tmp_path / "elsewhere"))
    assert spark_dir() == tmp_path / "elsewhere"
