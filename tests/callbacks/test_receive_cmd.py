"""`siyu receive` settings: a missing or malformed one stops it with exit 2, naming the variable and
never printing a secret's value."""

import os

import pytest
from callbacks_support import OA, WECOM

from callbacks.config import CallbackConfigError, platforms
from callbacks.store import claim
from orchestration import cli

NAMES = (*WECOM, *OA, "SIYU_LANDING_DIR")


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "load_env_file", lambda: None)  # a developer's .env stays out of it
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SIYU_LANDING_DIR", str(tmp_path))
    return monkeypatch


def receive(capsys) -> tuple[int, str]:
    code = cli.main(["receive", "--port", "1"])
    return code, capsys.readouterr().err


def test_nothing_configured_names_both_tokens(env, capsys):
    code, err = receive(capsys)
    assert code == 2 and "WECOM_CALLBACK_TOKEN" in err and "OA_CALLBACK_TOKEN" in err


@pytest.mark.parametrize("missing", ["WECOM_CALLBACK_AES_KEY", "WECOM_CORP_ID"])
def test_a_wecom_setting_missing_is_named(env, capsys, missing):
    for name, value in WECOM.items():
        if name != missing:
            env.setenv(name, value)
    code, err = receive(capsys)
    assert code == 2 and err.startswith(f"siyu: {missing} is not set (")
    assert WECOM["WECOM_CALLBACK_TOKEN"] not in err


def test_a_malformed_key_is_named_not_printed(env, capsys):
    bad = "x" * 40 + "!?/"
    for name, value in {**WECOM, "WECOM_CALLBACK_AES_KEY": bad}.items():
        env.setenv(name, value)
    code, err = receive(capsys)
    assert code == 2 and "WECOM_CALLBACK_AES_KEY is not an EncodingAESKey" in err and bad not in err


def test_the_oa_needs_its_appid_only_when_encrypted():
    with pytest.raises(CallbackConfigError, match="OA_APP_ID is not set"):
        platforms({"OA_CALLBACK_TOKEN": "t", "OA_CALLBACK_AES_KEY": OA["OA_CALLBACK_AES_KEY"]})
    (oa,) = platforms({"OA_CALLBACK_TOKEN": "t"})
    assert (oa.name, oa.source, oa.entity, oa.envelope) == ("oa", "oa", "event", None)  # 明文模式
    assert [p.name for p in platforms({**WECOM, **OA})] == ["wecom", "oa"]


def test_a_second_receiver_on_the_landing_exits_2(env, capsys, tmp_path):
    for name, value in WECOM.items():
        env.setenv(name, value)
    fd = claim(tmp_path)  # the receiver already running
    try:
        code, err = receive(capsys)
    finally:
        os.close(fd)
    assert code == 2 and f"another `siyu receive` is writing {tmp_path}" in err
