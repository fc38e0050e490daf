"""`siyu run`'s options reach the pipeline, and the landing asset loads exactly the folders given."""

from __future__ import annotations

from datetime import date, timedelta

import dagster
import duckdb
import pytest
from salt_support import DAY, LEADS, SALT_A, environment_kept, land_leads

import orchestration.cli
import orchestration.pipeline
from orchestration.cli import main
from orchestration.defs.ingestion import landing_assets
from orchestration.defs.partitions import RANGE_END_TAG as ASSET_PARTITION_RANGE_END_TAG
from orchestration.defs.partitions import RANGE_START_TAG as ASSET_PARTITION_RANGE_START_TAG
from orchestration.defs.partitions import daily_partitions, landing_partitions
from orchestration.defs.resources import Warehouse

DAILY = daily_partitions()


@pytest.fixture
def calls(monkeypatch, tmp_path):
    """`siyu run` over three days of leads; the pipeline records what it was asked instead of running."""
    monkeypatch.setattr(orchestration.cli, "load_env_file", lambda: None)
    for n in range(3):
        land_leads(tmp_path / "landing", DAY + timedelta(n))
    for key, value in {"SIYU_LANDING_DIR": tmp_path / "landing", "SIYU_WAREHOUSE": tmp_path / "wh.duckdb",
                       "DAGSTER_HOME": tmp_path / "dagster", "SIYU_PHONE_SALT": SALT_A}.items():
        monkeypatch.setenv(key, str(value))
    monkeypatch.delenv("SIYU_PUBLISHED", raising=False)
    seen = []

    def recorded(settings, **kwargs):
        seen.append(kwargs)
        return True

    monkeypatch.setattr(orchestration.pipeline, "run_pipeline", recorded)
    with environment_kept():
        yield seen


def test_run_passes_the_window_and_full_refresh(calls):
    assert main(["run"]) == 0
    assert main(["run", "--full-refresh"]) == 0
    assert main(["run", "--from", "2026-10-02", "--to", "2026-10-03"]) == 0
    assert calls == [
        {"first": None, "last": None, "full_refresh": False},
        {"first": None, "last": None, "full_refresh": True},
        {"first": date(2026, 10, 2), "last": date(2026, 10, 3), "full_refresh": False},
    ]


@pytest.mark.parametrize("args", [["--from", "2026-10-03", "--to", "2026-10-01"], ["--from", "3 Oct"]])
def test_a_window_that_is_no_window_is_refused_in_one_line(calls, capsys, args):
    assert main(["run", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("siyu: --") and err.count("\n") == 1 and not calls, err


def test_the_landing_asset_loads_only_the_folders_it_is_given(tmp_path):
    for n in range(3):
        land_leads(tmp_path / "landing", DAY + timedelta(n))
    warehouse = Warehouse(path=str(tmp_path / "wh.duckdb"), landing_dir=str(tmp_path / "landing"),
                          phone_salt=SALT_A)
    job = dagster.define_asset_job("nightly", partitions_def=DAILY,
                                   selection=dagster.AssetSelection.assets(dagster.AssetKey(list(LEADS))))
    defs = dagster.Definitions(assets=landing_assets(DAILY), jobs=[job], resources={"warehouse": warehouse})
    folders = [f"leads/oceanengine/{DAY + timedelta(2)}"]  # the range holds days 1-3; only day 3 loads
    result = defs.resolve_job_def("nightly").execute_in_process(
        instance=dagster.DagsterInstance.ephemeral(),
        tags={ASSET_PARTITION_RANGE_START_TAG: str(DAY),
              ASSET_PARTITION_RANGE_END_TAG: str(DAY + timedelta(2))},
        run_config={"ops": {"landing": {"config": {"folders": folders}}}},
    )
    assert result.success
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        days = con.execute("select distinct _business_date from raw.leads__oceanengine").fetchall()
        tables = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw'").fetchone()[0]
        pending = con.execute("select folder from raw._landing_pending").fetchall()
    assert days == [(DAY + timedelta(2),)]
    assert pending == [(folders[0],)]  # built once this run publishes (no publish in this job)
    assert tables >= 26  # every raw table exists, loaded tonight or not: dbt's sources read them all


def test_the_ui_starts_its_partitions_at_the_first_landing_day(tmp_path, monkeypatch):
    """The definitions `siyu ui` loads are built over the landing folder's days (no fixed 2024-01-01,
    no window smuggled in through environment variables)."""
    import importlib

    import orchestration.definitions

    land_leads(tmp_path / "landing", DAY)
    land_leads(tmp_path / "landing", DAY + timedelta(3))
    partitions = landing_partitions(tmp_path / "landing")
    assert partitions.get_first_partition_key() == DAY.isoformat()
    assert (DAY + timedelta(3)).isoformat() in partitions.get_partition_keys()
    assert landing_partitions(tmp_path / "nothing").get_first_partition_key() == "2024-01-01"
    monkeypatch.setenv("SIYU_LANDING_DIR", str(tmp_path / "landing"))
    try:
        defs = importlib.reload(orchestration.definitions).defs
        job = defs.resolve_job_def("nightly")
        assert job.partitions_def.get_first_partition_key() == DAY.isoformat()
    finally:
        monkeypatch.undo()
        importlib.reload(orchestration.definitions)
