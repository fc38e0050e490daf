"""Issue 12: the demo writes only under its own folder whatever the environment or .env says, and
the simulator never writes into, or deletes from, a folder it did not write. A brand's files are
compared byte for byte before and after."""

from __future__ import annotations

import functools
import os

import duckdb
import pytest
from salt_support import SALT_A, digests, environment_kept, landing_days, run_landing

import orchestration.cli
import orchestration.pipeline
import orchestration.salt
import orchestration.settings
from orchestration.defs.resources import build_resources
from orchestration.settings import DEMO_PHONE_SALT, load_env_file

SMALL = ["--customers", "20", "--days", "4"]  # ~60 files in 0.2 s


@pytest.fixture
def brand(tmp_path):
    """A brand's real-looking landing folder, warehouse, published copy, Dagster home and Data Docs."""
    real = tmp_path / "brand"
    receipts = real / "landing" / "pos" / "receipt" / "2026-10-01"
    receipts.mkdir(parents=True)
    receipt = "门店编码,小票号,交易时间,手机号,金额\nS01,R1,2026-10-01 10:00:00,13800138000,99.00\n"
    (receipts / "real.csv").write_text(receipt, encoding="gb18030")
    (real / "landing" / "youzan" / "trade" / "2026-10-01").mkdir(parents=True)
    (real / "landing" / "youzan" / "trade" / "2026-10-01" / "trades.jsonl").write_text('{"tid": "E1"}\n')
    with duckdb.connect(str(real / "warehouse.duckdb")) as con:
        con.execute("create schema marts; create table marts.user_assets as select 42 as customers")
    (real / "warehouse.published.duckdb").write_bytes((real / "warehouse.duckdb").read_bytes())
    (real / "dagster").mkdir()
    (real / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    (real / "docs").mkdir()
    return real


def brand_settings(real) -> dict[str, str]:
    return {"SIYU_LANDING_DIR": str(real / "landing"), "SIYU_WAREHOUSE": str(real / "warehouse.duckdb"),
            "SIYU_PUBLISHED": str(real / "warehouse.published.duckdb"), "DAGSTER_HOME": str(real / "dagster"),
            "SIYU_QUALITY_DOCS": str(real / "docs"), "SIYU_PHONE_SALT": SALT_A}


@pytest.mark.parametrize("where", ["environment", ".env"])
def test_the_demo_leaves_a_brand_named_by_the_environment_byte_identical(brand, tmp_path, monkeypatch, where):
    demo = tmp_path / "project" / "var" / "demo"
    monkeypatch.setattr(orchestration.settings, "DEMO_DIR", demo)
    monkeypatch.setattr(orchestration.salt, "tests_running", lambda: False)  # the demo's salt, for real
    env_file = tmp_path / ".env"
    for key, value in brand_settings(brand).items():
        monkeypatch.delenv(key, raising=False)
        if where == "environment":
            monkeypatch.setenv(key, value)
        else:
            with env_file.open("a") as f:
                f.write(f"{key}={value}\n")
    monkeypatch.setattr(orchestration.cli, "load_env_file", functools.partial(load_env_file, env_file))
    seen = {}

    def landing_only(settings, *args, **kwargs):
        """The demo's run, loading its receipts with the resources the definitions build from the env."""
        seen.update(os.environ)
        return run_landing(build_resources()["warehouse"], *landing_days(settings.landing_dir),
                           keys=[("pos", "receipt")]).success

    monkeypatch.setattr(orchestration.pipeline, "run_pipeline", landing_only)
    before = digests(brand)
    with environment_kept():
        assert orchestration.cli.main(["demo", *SMALL]) == 0
    assert digests(brand) == before
    for key in ("SIYU_LANDING_DIR", "SIYU_WAREHOUSE", "SIYU_PUBLISHED", "DAGSTER_HOME", "SIYU_QUALITY_DOCS"):
        assert seen[key].startswith(str(demo) + os.sep), key
    assert seen["SIYU_PHONE_SALT"] == DEMO_PHONE_SALT
    assert (demo / "landing" / "_siyu-simulated.json").is_file()
    with duckdb.connect(str(demo / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.pos__receipt").fetchone()[0] > 0


def test_the_demo_refuses_a_warehouse_in_its_folder_that_another_salt_built(tmp_path, monkeypatch, capsys):
    from orchestration.salt import record_fingerprint

    demo = tmp_path / "var" / "demo"
    demo.mkdir(parents=True)
    monkeypatch.setattr(orchestration.settings, "DEMO_DIR", demo)
    monkeypatch.setattr(orchestration.cli, "load_env_file", lambda: None)
    with duckdb.connect(str(demo / "warehouse.duckdb")) as con:
        record_fingerprint(con, SALT_A.encode())  # someone ran `siyu run` on it with their own salt
    before = digests(demo)
    with environment_kept():
        assert orchestration.cli.main(["demo", *SMALL]) == 2
    assert "was built with another salt than the demo's" in capsys.readouterr().err
    assert digests(demo) == before  # nothing simulated either


def test_simulate_refuses_a_folder_of_real_files_and_leaves_it_byte_identical(brand, capsys):
    before = digests(brand)
    assert orchestration.cli.main(["simulate", "--out", str(brand / "landing"), *SMALL]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"siyu: {brand / 'landing'} is not empty (pos/receipt/2026-10-01/real.csv, ")
    assert "Nothing was changed" in err and err.count("\n") == 1
    assert digests(brand) == before


def test_a_new_or_empty_folder_is_taken_and_a_rerun_replaces_only_what_it_wrote(tmp_path):
    from simulator import simulate

    out = tmp_path / "sim"
    out.mkdir()
    simulate(out, customers=20, days=4)
    first = digests(out)
    simulate(out, customers=20, days=3, seed=8)
    second = digests(out)
    days = {p.split("/")[2] for p in second if p.startswith("pos/receipt/")}
    assert days and min(days) > "2026-10-28"  # the fourth day before the end is gone
    assert set(second) - {"_siyu-simulated.json"} and first != second


def test_a_simulated_folder_holding_someone_elses_file_is_refused_untouched(tmp_path):
    from simulator import ForeignFolder, simulate

    out = tmp_path / "sim"
    simulate(out, customers=20, days=4)
    theirs = out / "pos" / "receipt" / "2026-10-31" / "real.csv"
    theirs.parent.mkdir(parents=True, exist_ok=True)
    theirs.write_text("S01,R1\n")
    replaced = next(p for p in sorted((out / "youzan").rglob("*.jsonl")))
    replaced.write_text('{"a real export": "of another size"}\n')
    before = digests(out)
    with pytest.raises(ForeignFolder, match="holds 2 files the simulator did not write"):
        simulate(out, customers=20, days=4)
    assert digests(out) == before


def test_a_stopped_simulation_is_cleaned_up_by_the_next(tmp_path):
    from simulator import simulate

    out = tmp_path / "sim"
    with pytest.raises(ValueError):
        simulate(out, customers=20, days=2)  # too short a window: fails after writing its first files
    assert (out / "_siyu-simulated.json").is_file() and any((out / "_truth").iterdir())
    simulate(out, customers=20, days=4)
    assert digests(out).keys() == digests(_fresh(tmp_path)).keys()


def _fresh(tmp_path):
    from simulator import simulate

    simulate(tmp_path / "fresh", customers=20, days=4)
    return tmp_path / "fresh"
