"""Configuration: the salt is required outside the demo; settings reach dbt through the environment."""

import pytest

import orchestration.settings
from orchestration.cli import main
from orchestration.defs.partitions import window_partitions
from orchestration.settings import DEMO_PHONE_SALT, ConfigError, Settings


def test_real_runs_refuse_to_start_without_a_salt(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("SIYU_PHONE_SALT", raising=False)
    monkeypatch.setenv("SIYU_LANDING_DIR", str(tmp_path))
    with pytest.raises(ConfigError, match="SIYU_PHONE_SALT"):
        Settings.from_env(require_salt=True)
    assert main(["run"]) == 2
    assert "SIYU_PHONE_SALT is not set" in capsys.readouterr().err


def test_only_the_demo_uses_the_public_demo_salt(monkeypatch):
    monkeypatch.setenv("SIYU_PHONE_SALT", "a brand's own")
    demo = Settings.demo()
    assert demo.phone_salt == DEMO_PHONE_SALT.encode()
    assert demo.warehouse.parent == demo.landing_dir.parent == orchestration.settings.DEMO_DIR.resolve()
    monkeypatch.delenv("SIYU_PHONE_SALT")
    assert Settings.from_env(require_salt=False).phone_salt == b""  # a command that only reads


def test_published_copy_sits_beside_the_warehouse(monkeypatch, tmp_path):
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "wh.duckdb"))
    monkeypatch.setenv("SIYU_PHONE_SALT", "s")
    monkeypatch.delenv("SIYU_PUBLISHED", raising=False)
    assert Settings.from_env().published == tmp_path / "wh.published.duckdb"


def test_run_refuses_an_empty_landing_folder(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("SIYU_PHONE_SALT", "s")
    monkeypatch.setenv("SIYU_LANDING_DIR", str(tmp_path))
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "wh.duckdb"))
    assert main(["run"]) == 2
    assert f"nothing to load under {tmp_path}" in capsys.readouterr().err


def test_partition_window_covers_landing_days_even_past_today():
    from datetime import date, timedelta

    today = date.today()
    ahead = today + timedelta(days=40)  # a landing day ahead of the clock
    partitions = window_partitions(date(2023, 5, 1), ahead, today=today)
    assert partitions.get_first_partition_key() == "2023-05-01"
    assert partitions.get_last_partition_key() >= ahead.isoformat()
    # a window in the past still reaches today's partition, as the schedule's partitions do
    past = window_partitions(date(2023, 5, 1), date(2023, 6, 1), today=today)
    assert past.get_last_partition_key() >= (today - timedelta(days=1)).isoformat()  # Beijing vs UTC

def test_env_file_fills_only_unset_variables(monkeypatch, tmp_path):
    from orchestration.settings import load_env_file

    env = tmp_path / ".env"
    env.write_text("# comment\nSIYU_PHONE_SALT='from-file'\nSIYU_WAREHOUSE=/from/file.duckdb\n")
    monkeypatch.delenv("SIYU_PHONE_SALT", raising=False)
    monkeypatch.setenv("SIYU_WAREHOUSE", "/from/env.duckdb")
    load_env_file(env)
    import os

    assert os.environ["SIYU_PHONE_SALT"] == "from-file"
    assert os.environ["SIYU_WAREHOUSE"] == "/from/env.duckdb"


def test_a_warehouse_file_named_after_a_schema_is_refused(monkeypatch, tmp_path):
    from orchestration.settings import ConfigError, Settings

    monkeypatch.setenv("SIYU_PHONE_SALT", "x")
    monkeypatch.delenv("SIYU_PUBLISHED", raising=False)
    for name in ("marts.duckdb", "raw.duckdb", "Identity.db"):
        monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / name))
        with pytest.raises(ConfigError, match="ambiguous"):
            Settings.from_env()
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "brand.duckdb"))
    assert Settings.from_env().published.name == "brand.published.duckdb"


def test_a_compression_method_duckdb_does_not_know_is_refused_before_the_night(monkeypatch, tmp_path, capsys):
    """SIYU_DUCKDB_DISABLED_COMPRESSION reaches DuckDB through dbt's profile, whose error would not name
    the variable: `siyu run` checks it first, as DuckDB reads it."""
    monkeypatch.setenv("SIYU_LANDING_DIR", str(tmp_path))
    monkeypatch.setenv("SIYU_PHONE_SALT", "k" * 40)
    for accepted in ("dict_fsst", "none", "dict_fsst,fsst"):
        monkeypatch.setenv("SIYU_DUCKDB_DISABLED_COMPRESSION", accepted)
        Settings.from_env(require_salt=False)
    monkeypatch.setenv("SIYU_DUCKDB_DISABLED_COMPRESSION", "dict-fsst")
    with pytest.raises(ConfigError, match="SIYU_DUCKDB_DISABLED_COMPRESSION=dict-fsst: not a list of DuckDB"):
        Settings.from_env(require_salt=False)
    assert main(["run"]) == 2
    assert "SIYU_DUCKDB_DISABLED_COMPRESSION=dict-fsst" in capsys.readouterr().err
