"""How `siyu dashboard` is served: it refuses to start without a published copy, turns Streamlit's
usage statistics off on its command line, and reads tonight's copy at the next load after the swap."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from dashboard.serve import command
from orchestration.cli import main

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


def test_no_published_copy_is_a_clear_refusal(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "brand.duckdb"))
    monkeypatch.setenv("SIYU_PUBLISHED", str(tmp_path / "brand.published.duckdb"))  # whatever .env says
    monkeypatch.setenv("PATH", os.environ["PATH"])  # main() prepends the venv's bin: undone after
    assert main(["dashboard", "--port", "8599"]) == 2
    err = capsys.readouterr().err
    assert f"no published copy at {tmp_path / 'brand.published.duckdb'} yet: run `siyu run` first" in err


def test_the_server_reads_the_copy_it_is_given_with_usage_statistics_off(tmp_path):
    argv, env = command(tmp_path / "copy.duckdb", 8600)
    options = dict(zip(argv[5::2], argv[6::2], strict=True))  # after `python -m streamlit run app.py`
    assert argv[4] == str(APP) and options["--browser.gatherUsageStats"] == "false"
    assert options["--server.port"] == "8600" and options["--server.address"] == "127.0.0.1"
    assert env["SIYU_DASHBOARD_PUBLISHED"] == str((tmp_path / "copy.duckdb").resolve())


def test_the_next_load_after_the_nightly_swap_shows_tonights_copy(tiny_copy, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    published, tonight = tmp_path / "brand.published.duckdb", tmp_path / "brand.published.duckdb.tmp"
    shutil.copy(tiny_copy, published)
    shutil.copy(tiny_copy, tonight)
    with duckdb.connect(str(tonight)) as con:
        con.execute("delete from marts.user_assets where customer_id = 'c6'")  # tonight: five customers
    monkeypatch.setenv("SIYU_DASHBOARD_PUBLISHED", str(published))
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.run()
    assert app.metric[0].value == "6"
    os.replace(tonight, published)  # as the publish step swaps the copy in
    app.run()  # the next page load
    assert app.metric[0].value == "5"
