"""SIYU_ENGINE and SIYU_SPARK_DIR (orchestration/settings.py), read as profiles.yml reads them."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

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


def test_on_spark_the_pipelines_dbt_steps_run_sparks_wrapper(monkeypatch, tmp_path):
    """SIYU_ENGINE=spark: the settings take it, and dbt's steps run `siyu-dbt-spark`, the console
    script beside this interpreter (engines/spark_dbt.py); on DuckDB, dbt itself."""
    from orchestration.defs.resources import default_dbt_executable

    if not importlib.util.find_spec("pyspark") or not importlib.util.find_spec("dbt.adapters.spark"):
        pytest.skip("the spark extra is not installed (pip install -e '.[spark]')")
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("SIYU_ENGINE", "spark")
    Settings.from_env(require_salt=False)
    wrapper = Path(default_dbt_executable())
    assert wrapper.parent == Path(sys.executable).parent and wrapper.name == "siyu-dbt-spark"
    assert os.access(wrapper, os.X_OK), "pip install -e . writes the console script"
    monkeypatch.delenv("SIYU_ENGINE")
    assert Path(default_dbt_executable()).name == "dbt"


def test_sparks_folder_is_beside_the_warehouse_unless_set(monkeypatch, tmp_path):
    monkeypatch.delenv("SIYU_SPARK_DIR", raising=False)
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "brand" / "warehouse.duckdb"))
    assert spark_dir() == tmp_path / "brand" / "spark"
    monkeypatch.setenv("SIYU_SPARK_DIR", str(tmp_path / "elsewhere"))
    assert spark_dir() == tmp_path / "elsewhere"


def test_a_thrift_server_is_the_spark_thrift_output_and_runs_sparks_wrapper(monkeypatch, tmp_path):
    """SIYU_ENGINE=spark_thrift: the profile's thrift output (server from SIYU_SPARK_HOST/PORT/USER),
    dbt's steps through the same wrapper as local Spark (engines/spark_dbt.py)."""
    from orchestration.defs.resources import default_dbt_executable

    output = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())["siyu"]["outputs"]["spark_thrift"]
    assert (output["type"], output["method"]) == ("spark", "thrift")
    assert "SIYU_SPARK_HOST" in output["host"] and "SIYU_SPARK_PORT" in output["port"]
    assert "server_side_parameters" not in output  # a server's static settings are its own
    if not all(importlib.util.find_spec(m) for m in ("dbt.adapters.spark", "pyhive", "thrift")):
        pytest.skip("the cluster extra is not installed (pip install -e '.[cluster]')")
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("SIYU_ENGINE", "spark_thrift")
    assert engine() == "spark_thrift"
    assert Path(default_dbt_executable()).name == "siyu-dbt-spark"


def test_spark_thrift_without_pyhive_says_which_extra(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyhive" else real(name, *a))
    monkeypatch.setenv("SIYU_ENGINE", "spark_thrift")
    with pytest.raises(ConfigError, match=r"SIYU_ENGINE=spark_thrift: install the cluster extra"):
        engine()


def test_the_server_reads_the_shared_folder_by_its_own_name_when_given(monkeypatch, tmp_path):
    from orchestration.settings import spark_shared_url

    monkeypatch.setenv("SIYU_SPARK_DIR", str(tmp_path / "shared"))
    monkeypatch.delenv("SIYU_SPARK_SHARED_URL", raising=False)
    assert spark_shared_url() == str(tmp_path / "shared")
    monkeypatch.setenv("SIYU_SPARK_SHARED_URL", "s3a://brand-lake/siyu/")
    assert spark_shared_url() == "s3a://brand-lake/siyu"
