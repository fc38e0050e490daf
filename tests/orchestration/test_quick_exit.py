"""A night's process skips Python's last garbage collection over what the night loaded (4-6 s between
the summary and the prompt, measured on the demo): gc.freeze runs at exit, registered once however
many nights one process runs."""

from __future__ import annotations

import gc

import pytest
from salt_support import DAY, SALT_A, environment_kept, land_leads

import orchestration.cli
import orchestration.pipeline
import orchestration.run_cmd
from orchestration.cli import main


class Exits:
    """atexit, recording."""

    def __init__(self):
        self.hooks = []

    def register(self, fn):
        self.hooks.append(fn)

    def unregister(self, fn):
        self.hooks = [h for h in self.hooks if h is not fn]


@pytest.fixture
def exits(monkeypatch, tmp_path):
    monkeypatch.setattr(orchestration.cli, "load_env_file", lambda: None)
    land_leads(tmp_path / "landing", DAY)
    for key, value in {"SIYU_LANDING_DIR": tmp_path / "landing", "SIYU_WAREHOUSE": tmp_path / "wh.duckdb",
                       "DAGSTER_HOME": tmp_path / "dagster", "SIYU_PHONE_SALT": SALT_A}.items():
        monkeypatch.setenv(key, str(value))
    monkeypatch.delenv("SIYU_PUBLISHED", raising=False)
    monkeypatch.setattr(orchestration.pipeline, "run_pipeline", lambda settings, **kwargs: True)
    recorded = Exits()
    monkeypatch.setattr(orchestration.run_cmd, "atexit", recorded)
    with environment_kept():
        yield recorded


def test_two_nights_register_the_quick_exit_once(exits):
    assert main(["run"]) == 0 and main(["run"]) == 0
    assert exits.hooks == [gc.freeze]

