"""The pull assets in Dagster: present only for configured sources, run at 01:00 Beijing for
yesterday, never part of the nightly build, and materialising what landed."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dagster import AssetKey, DagsterInstance, build_schedule_context
from small_world import fill

from orchestration.pipeline import parse_dbt_project

DAY = date(2026, 10, 30)


@pytest.fixture(scope="module", autouse=True)
def _manifest():
    parse_dbt_project()  # the definitions read dbt's manifest


def _defs(monkeypatch, env: dict):
    from orchestration.defs.build import build_definitions
    from orchestration.defs.partitions import window_partitions

    for key in ("WECOM_CORP_ID", "WECOM_CONTACT_SECRET", "OA_APP_ID", "OA_APP_SECRET", "YOUZAN_CLIENT_ID",
                "YOUZAN_CLIENT_SECRET", "YOUZAN_KDT_ID"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return build_definitions(window_partitions(DAY - timedelta(days=3), DAY))


def test_no_credentials_no_pull_assets(monkeypatch):
    defs = _defs(monkeypatch, {})
    keys = {k.path[0] for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert "pulls" not in keys
    assert [s.name for s in defs.schedules] == ["nightly_schedule"]


def test_configured_sources_get_an_asset_per_entity_and_a_schedule_before_the_night(monkeypatch, fake):
    env = {k: v for k, v in fake.env().items() if not k.startswith("YOUZAN")}  # Youzan not configured
    defs = _defs(monkeypatch, env)
    pulls = sorted(k.path for k in defs.resolve_asset_graph().get_all_asset_keys() if k.path[0] == "pulls")
    assert pulls == [["pulls", "oa", "user"], ["pulls", "wecom", "external_contact"],
                     ["pulls", "wecom", "group_chat"], ["pulls", "wecom", "groupmsg_send"],
                     ["pulls", "wecom", "user_behavior"]]
    nightly = defs.resolve_job_def("nightly")
    assert not any(k.path[0] == "pulls" for k in nightly.asset_layer.selected_asset_keys)
    schedule = defs.get_schedule_def("pulls_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 1 * * *", "Asia/Shanghai")
    at = datetime(2026, 10, 31, 1, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with DagsterInstance.ephemeral() as instance:
        context = build_schedule_context(instance, scheduled_execution_time=at,
                                         repository_def=defs.get_repository_def())
        request = schedule.evaluate_tick(context)
    assert [r.partition_key for r in request.run_requests] == ["2026-10-30"]


def test_the_pull_job_lands_the_day_and_reports_the_failed_entity(monkeypatch, fake, tmp_path):
    fill(fake, DAY)
    fake.fault("/get_user_behavior_data", "errcode", 60011)
    defs = _defs(monkeypatch, {**{k: v for k, v in fake.env().items() if k.startswith(("WECOM", "SIYU"))},
                               "SIYU_LANDING_DIR": str(tmp_path)})
    job = defs.resolve_job_def("pulls")
    with DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(
            instance=instance, partition_key=DAY.isoformat(), raise_on_error=False,
            asset_selection=[AssetKey(["pulls", "wecom", e]) for e in ("groupmsg_send", "user_behavior")])
        done = {e.asset_key.path[-1]: e.step_materialization_data.materialization.metadata["records"].value
                for e in result.get_asset_materialization_events()}
    assert not result.success
    assert done == {"groupmsg_send": 4}
    assert (tmp_path / "wecom" / "groupmsg_send" / DAY.isoformat()).is_dir()
    assert not (tmp_path / "wecom" / "user_behavior" / DAY.isoformat()).exists()
