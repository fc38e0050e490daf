"""The boundary checks in Dagster: they read the run's partition range, a contract breach fails the
blocking check and the models downstream of the raw table do not run; clean days let them run."""

import warnings
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import dagster
import orjson
from quality_support import DAY, openid

from orchestration.defs.checks import RAW_CHECKS
from orchestration.defs.ingestion import landing_assets
from orchestration.defs.partitions import RANGE_END_TAG as ASSET_PARTITION_RANGE_END_TAG
from orchestration.defs.partitions import RANGE_START_TAG as ASSET_PARTITION_RANGE_START_TAG
from orchestration.defs.partitions import daily_partitions
from orchestration.defs.resources import Warehouse

DAILY = daily_partitions()

RAN = []
warnings.filterwarnings("ignore", category=dagster.BetaWarning)  # single-run backfills, as in definitions.py


@dagster.asset(
    deps=[dagster.AssetKey(["mp", "event"])],
    partitions_def=DAILY,
    backfill_policy=dagster.BackfillPolicy.single_run(),
)
def model_of_mp_events() -> None:
    RAN.append(True)


def land_events(root, day, bad_openid=False):
    folder = root / "mp" / "event" / str(day)
    folder.mkdir(parents=True)
    ts = (
        int(datetime.combine(day, datetime.min.time(), ZoneInfo("Asia/Shanghai")).timestamp() * 1000)
        + 36_000_000
    )
    rows = [
        {
            "event_id": f"ev{day}{i}",
            "openid": openid(i),
            "event": "page_view",
            "page_path": "/pages/index",
            "scene": "1001",
            "ts": ts,
        }
        for i in range(5)
    ]
    if bad_openid:
        rows[0]["openid"] = rows[0]["openid"][:20]  # loads (the loader has no id formats), fails the suite
    (folder / "tracking.jsonl").write_bytes(b"\n".join(orjson.dumps(r) for r in rows) + b"\n")


def run(tmp_path, bad_day=None):
    days = [DAY - timedelta(1), DAY]
    for day in days:
        land_events(tmp_path / "landing", day, bad_openid=day == bad_day)
    warehouse = Warehouse(
        path=str(tmp_path / "wh.duckdb"), landing_dir=str(tmp_path / "landing"), phone_salt="x"
    )
    job = dagster.define_asset_job(
        "nightly",
        partitions_def=DAILY,
        selection=dagster.AssetSelection.assets(dagster.AssetKey(["mp", "event"]), model_of_mp_events),
    )
    defs = dagster.Definitions(
        assets=[*landing_assets(DAILY), model_of_mp_events],
        asset_checks=RAW_CHECKS,
        jobs=[job],
        resources={"warehouse": warehouse},
    )
    RAN.clear()
    result = defs.resolve_job_def("nightly").execute_in_process(
        instance=dagster.DagsterInstance.ephemeral(),
        raise_on_error=False,
        tags={ASSET_PARTITION_RANGE_START_TAG: str(days[0]), ASSET_PARTITION_RANGE_END_TAG: str(days[-1])},
    )
    checks = {
        e.event_specific_data.check_name: e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    return result, checks, warehouse


def test_a_failing_day_fails_the_blocking_check_and_stops_its_downstream_models(tmp_path, monkeypatch):
    monkeypatch.setenv("SIYU_QUALITY_DOCS", str(tmp_path / "docs"))
    result, checks, warehouse = run(tmp_path, bad_day=DAY)
    assert not result.success and RAN == []
    contract = checks["contract"]
    assert not contract.passed and contract.severity == dagster.AssetCheckSeverity.ERROR
    assert contract.metadata["failed_days"].value == [str(DAY)]
    assert checks["volume"].passed and checks["volume"].severity == dagster.AssetCheckSeverity.WARN
    with warehouse.connect() as con:
        rows = con.execute(
            "select distinct run_id, first_date, last_date from quality.validation_results"
        ).fetchall()
    assert rows == [(result.run_id, DAY - timedelta(1), DAY)]  # the run's whole partition range
    assert (tmp_path / "docs" / "validations" / "mp__event" / result.run_id).is_dir()  # Data Docs


def test_clean_days_pass_and_downstream_models_run(tmp_path, monkeypatch):
    monkeypatch.setenv("SIYU_QUALITY_DOCS", str(tmp_path / "docs"))
    result, checks, _ = run(tmp_path)
    assert result.success and RAN == [True]
    assert set(checks) == {
        "contract", "volume", "duplicate_file", "conflicts", "accounting", "quarantine_share", "freshness"
    } and all(
        c.passed for c in checks.values()
    )
