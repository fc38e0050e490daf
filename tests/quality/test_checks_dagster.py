"""The boundary checks in Dagster: they read the run's partition range, a contract breach fails the
blocking check and the models downstream of the raw table do not run; clean days let them run."""

import warnings
from datetime import timedelta

import dagster
from quality_support import DAY

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
    deps=[dagster.AssetKey(["pos", "receipt"])],
    partitions_def=DAILY,
    backfill_policy=dagster.BackfillPolicy.single_run(),
)
def model_of_receipts() -> None:
    RAN.append(True)


HEADER = "门店编码,小票号,交易时间,会员卡号,手机号,金额,折扣,收款员代码,原单流水号,补刷卡标记"


def land_receipts(root, day, bad_return=False):
    folder = root / "pos" / "receipt" / str(day)
    folder.mkdir(parents=True)
    rows = [f"S1,R{day:%m%d}{i},{day} 1{i}:00:00,,,{19.9 + i:.2f},0,C1,,0" for i in range(5)]
    if bad_return:
        # loads (the loader allows any sign on POS amounts), fails the suite: a return names its receipt
        rows[0] = f"S1,R{day:%m%d}0,{day} 10:00:00,,,-19.90,0,C1,,0"
    (folder / "receipts.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


def run(tmp_path, bad_day=None):
    days = [DAY - timedelta(1), DAY]
    for day in days:
        land_receipts(tmp_path / "landing", day, bad_return=day == bad_day)
    warehouse = Warehouse(
        path=str(tmp_path / "wh.duckdb"), landing_dir=str(tmp_path / "landing"), phone_salt="x"
    )
    job = dagster.define_asset_job(
        "nightly",
        partitions_def=DAILY,
        selection=dagster.AssetSelection.assets(dagster.AssetKey(["pos", "receipt"]), model_of_receipts),
    )
    defs = dagster.Definitions(
        assets=[*landing_assets(DAILY), model_of_receipts],
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
    assert (tmp_path / "docs" / "validations" / "pos__receipt" / result.run_id).is_dir()  # Data Docs


def test_clean_days_pass_and_downstream_models_run(tmp_path, monkeypatch):
    monkeypatch.setenv("SIYU_QUALITY_DOCS", str(tmp_path / "docs"))
    result, checks, _ = run(tmp_path)
    assert result.success and RAN == [True]
    assert set(checks) == {
        "contract", "volume", "duplicate_file", "conflicts", "accounting", "quarantine_share", "freshness",
        "amounts", "unlinkable_phone_share",  # a receipt has an amount and a phone
    } and all(
        c.passed for c in checks.values()
    )
