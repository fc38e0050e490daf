"""Pulls against the fake platform's faults: cursor paging over several pages, a token that expires
mid-run, rate limits and busy codes, 5xx, a malformed body, an error code nobody knows."""

from datetime import date, timedelta

import pytest
from brand_replay import canonical, day_records
from small_world import fill

from pulls.run import beijing_today, pull
from pulls.youzan import YouzanClient

DAY = date(2026, 10, 30)
TODAY = DAY + timedelta(days=1)


def _pull(fake, source, landing, entities=None, client=None):
    return {r.entity: r for r in pull(source, [DAY], landing, env=fake.env(), today=TODAY,
                                      entities=entities, client=client)}


def _landed(landing, source, entity):
    return canonical(day_records(landing, source, entity, DAY))


def test_every_entity_lands_what_the_platform_holds_over_several_pages(fake, tmp_path):
    want = fill(fake, DAY)
    results = {**_pull(fake, "wecom", tmp_path), **_pull(fake, "oa", tmp_path)}
    youzan = YouzanClient(*(fake.env()[k] for k in ("YOUZAN_CLIENT_ID", "YOUZAN_CLIENT_SECRET",
                                                    "YOUZAN_KDT_ID", "SIYU_YOUZAN_API_BASE")),
                          page_size=5, backoff=0.01)
    results.update(_pull(fake, "youzan", tmp_path, client=youzan))
    assert {e: (r.rows, r.error) for e, r in results.items()} == {
        "external_contact": (20, None), "group_chat": (2, None), "user_behavior": (3, None),
        "groupmsg_send": (4, None), "user": (10, None), "trade": (12, None), "refund": (1, None)}
    for (source, entity), records in want.items():
        assert _landed(tmp_path, source, entity) == canonical(records), entity
    # 20 contacts of 3 guides in one batch, 7 a page: 3 pages; 10 followers: 2 pages; 12 trades by 5: 3
    assert fake.calls("/batch/get_by_user") == 3
    assert fake.calls("/user/get") == 2
    assert fake.calls("/youzan.trades.sold.get/4.0.0") == 3
    assert fake.calls("/gettoken") == 1, "one token for the whole run"


def test_a_token_that_expires_mid_run_is_renewed(fake, tmp_path):
    want = fill(fake, DAY)
    fake.fault("/batch/get_by_user", "expire", after=1)  # the second page finds its token expired
    fake.fault("/user/info/batchget", "expire")
    fake.fault("/youzan.trades.sold.get/4.0.0", "expire")
    results = {**_pull(fake, "wecom", tmp_path), **_pull(fake, "oa", tmp_path)}
    results.update(_pull(fake, "youzan", tmp_path))
    assert [r.error for r in results.values() if r.error] == []
    assert _landed(tmp_path, "wecom", "external_contact") == canonical(want[("wecom", "external_contact")])
    assert _landed(tmp_path, "oa", "user") == canonical(want[("oa", "user")])
    assert fake.calls("/gettoken") == 2
    assert fake.oa.forced == 1, "the OA's stable token is forced anew only once it was refused"


@pytest.mark.parametrize("code", [45009, 45033, -1])
def test_rate_limits_and_busy_codes_are_waited_out(fake, tmp_path, code):
    want = fill(fake, DAY)
    fake.fault("/get_user_behavior_data", "errcode", code, after=1, times=3)
    results = _pull(fake, "wecom", tmp_path, entities=["user_behavior"])
    assert results["user_behavior"].error is None
    assert _landed(tmp_path, "wecom", "user_behavior") == canonical(want[("wecom", "user_behavior")])
    assert fake.calls("/get_user_behavior_data") == 3 + 3


def test_5xx_and_a_malformed_body_are_retried(fake, tmp_path):
    want = fill(fake, DAY)
    fake.fault("/groupchat/get", "status", 503, times=2)
    fake.fault("/batch/get_by_user", "malformed", after=1)
    results = _pull(fake, "wecom", tmp_path, entities=["group_chat", "external_contact"])
    assert [r.error for r in results.values()] == [None, None]
    assert _landed(tmp_path, "wecom", "group_chat") == canonical(want[("wecom", "group_chat")])
    assert _landed(tmp_path, "wecom", "external_contact") == canonical(want[("wecom", "external_contact")])


def test_a_lasting_5xx_stops_that_entity_only(fake, tmp_path):
    fill(fake, DAY)
    fake.fault("/groupchat/get", "status", 502, times=100)
    results = _pull(fake, "wecom", tmp_path)
    assert "HTTP 502" in results["group_chat"].error
    groups = tmp_path / "wecom" / "group_chat"
    assert not groups.exists() or not any(groups.iterdir())
    assert [e for e, r in results.items() if r.rows and not r.error] == [
        "external_contact", "user_behavior", "groupmsg_send"]


def test_an_unknown_error_code_stops_that_entity_naming_the_code_and_the_call(fake, tmp_path, monkeypatch,
                                                                            capsys):
    from orchestration.cli import main

    yesterday = beijing_today() - timedelta(days=1)  # `siyu pull` pulls snapshots for yesterday only
    fill(fake, yesterday)
    fake.fault("/groupchat/get", "errcode", 60011, after=1)  # the second group
    for key, value in {**fake.env(), "SIYU_LANDING_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(key, value)
    code = main(["pull", "wecom", "--date", yesterday.isoformat()])
    out = capsys.readouterr().out
    assert code == 1
    failed = f"wecom/group_chat {yesterday}: FAILED — wecom groupchat/get for chat wrGroup2: error code 60011"
    assert failed in out
    for entity, rows in {"external_contact": 20, "user_behavior": 3, "groupmsg_send": 4}.items():
        assert f"wecom/{entity} {yesterday}: {rows} records landed" in out
        assert (tmp_path / "wecom" / entity / yesterday.isoformat()).is_dir()
    assert not (tmp_path / "wecom" / "group_chat" / yesterday.isoformat()).exists()


def test_a_missing_credential_is_named_and_nothing_is_written(fake, tmp_path, monkeypatch, capsys):
    from orchestration.cli import main

    for key, value in {**fake.env(), "SIYU_LANDING_DIR": str(tmp_path / "landing")}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("YOUZAN_KDT_ID")
    assert main(["pull", "youzan"]) == 2
    assert "YOUZAN_KDT_ID" in capsys.readouterr().err
    assert not (tmp_path / "landing").exists()
    assert fake.log == []


def test_credentials_and_tokens_are_never_logged_nor_landed(fake, tmp_path, caplog, capsys):
    import logging

    fill(fake, DAY)
    fake.fault("/gettoken", "status", 503, times=2)  # urllib3 logs the retried URL, corpsecret and all
    fake.fault("/groupchat/get", "errcode", 60011)
    caplog.set_level(logging.DEBUG)
    results = _pull(fake, "wecom", tmp_path)
    seen = caplog.text + capsys.readouterr().err + " ".join(r.line() for r in results.values())
    seen += "".join(p.read_text() for p in tmp_path.rglob("*.jsonl"))
    assert "gettoken" in caplog.text, "the retries were logged (with the query values blanked)"
    for secret in [*fake.env().values(), *fake.wecom.tokens]:
        if "secret" in secret or "token" in secret:
            assert secret not in seen


def test_a_past_snapshot_is_not_pulled(fake, tmp_path):
    fill(fake, DAY)
    results = pull("wecom", [DAY], tmp_path, env=fake.env(), today=DAY + timedelta(days=5))
    snapshots = {r.entity: r.skipped for r in results if r.skipped}
    assert set(snapshots) == {"external_contact", "group_chat"}
    assert "state now" in snapshots["group_chat"]
    assert fake.calls("/batch/get_by_user") == 0
