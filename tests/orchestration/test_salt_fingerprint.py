"""Issue 12: the warehouse records a keyed fingerprint of the salt that built it (never the salt), a
run with another salt refuses — from the CLI and from Dagster — and `siyu rekey` rebuilds every
phone hash under the new salt. Phone hashes are checked against HMAC-SHA256 computed here."""

from __future__ import annotations

import hashlib
import hmac
import shutil
from datetime import timedelta

import duckdb
import pytest
from salt_support import (
    DAY,
    PHONES,
    SALT_A,
    SALT_B,
    environment_kept,
    failure_text,
    keyed,
    land_leads,
    landing_days,
    lead_hashes,
    run_landing,
)

import orchestration.cli
import orchestration.pipeline
from orchestration.cli import main
from orchestration.defs.resources import Warehouse, build_resources

QUARANTINED_PHONE = "+8613700137000"  # on a lead without its clue_state: quarantined, phone hashed


def fingerprint_of(salt: str) -> str:
    return hmac.new(salt.encode(), b"siyu-salt-fingerprint", hashlib.sha256).hexdigest()


def fingerprint_in(warehouse) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sql = "select value from raw._settings where name = 'phone_salt_fingerprint'"
        return con.execute(sql).fetchone()[0]


def quarantined_hashes(warehouse) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sql = "select record ->> 'telephone_hash' from raw._quarantine"
        return {h for (h,) in con.execute(sql).fetchall()}


def cells_holding(warehouse, needle: str) -> list[str]:
    """'schema.table.column' of every text or JSON cell of the warehouse that contains `needle`."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute("select table_schema, table_name, column_name from information_schema.columns "
                              "where data_type in ('VARCHAR', 'JSON')").fetchall()
        return [f"{s}.{t}.{c}" for s, t, c in columns
                if con.execute(f'select count(*) from {s}."{t}" where contains("{c}"::varchar, ?)',
                               [needle]).fetchone()[0]]


@pytest.fixture
def brand(monkeypatch, tmp_path):
    """Two landing days of leads built with SALT_A through the landing asset; `siyu run` and
    `siyu rekey` then run that same asset with the resources the definitions build from the env."""
    for day in (DAY, DAY + timedelta(1)):
        path = land_leads(tmp_path / "landing", day)
        path.write_text(path.read_text() + f"q{day:%d},{day} 11:00:00,13700137000,form,form,,adv1,pr1\n")
    wh = tmp_path / "wh.duckdb"
    assert run_landing(Warehouse(path=str(wh), landing_dir=str(tmp_path / "landing"), phone_salt=SALT_A),
                       DAY, DAY + timedelta(1)).success
    for key, value in {"SIYU_LANDING_DIR": tmp_path / "landing", "SIYU_WAREHOUSE": wh,
                       "DAGSTER_HOME": tmp_path / "dagster"}.items():
        monkeypatch.setenv(key, str(value))
    monkeypatch.delenv("SIYU_PUBLISHED", raising=False)
    monkeypatch.setattr(orchestration.cli, "load_env_file", lambda: None)

    def landing_only(settings, *args, **kwargs):
        return run_landing(build_resources()["warehouse"], *landing_days(settings.landing_dir)).success

    monkeypatch.setattr(orchestration.pipeline, "run_pipeline", landing_only)
    with environment_kept():
        yield wh


def test_the_warehouse_records_a_keyed_fingerprint_and_never_the_salt(brand):
    assert fingerprint_in(brand) == fingerprint_of(SALT_A)
    assert lead_hashes(brand) == {keyed(SALT_A, e164) for e164 in PHONES.values()}
    assert cells_holding(brand, fingerprint_of(SALT_A)) == ["raw._settings.value"]  # the scan finds things
    assert cells_holding(brand, SALT_A) == cells_holding(brand, SALT_A.encode().hex()) == []


def test_a_run_with_another_salt_refuses_in_one_line_and_changes_nothing(brand, monkeypatch, capsys):
    monkeypatch.setenv("SIYU_PHONE_SALT", SALT_B)
    before = brand.read_bytes()
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "built with another SIYU_PHONE_SALT" in err and "`siyu rekey`" in err
    assert brand.read_bytes() == before


def test_a_dagster_run_with_another_salt_refuses_before_loading(brand, tmp_path):
    """A run from `siyu ui`, the schedule or the sensor with another salt in its environment."""
    other = Warehouse(path=str(brand), landing_dir=str(tmp_path / "landing"), phone_salt=SALT_B)
    result = run_landing(other, DAY, DAY)
    assert not result.success and "`siyu rekey`" in failure_text(result)
    assert lead_hashes(brand) == {keyed(SALT_A, e164) for e164 in PHONES.values()}


def test_the_same_salt_runs(brand, monkeypatch):
    monkeypatch.setenv("SIYU_PHONE_SALT", SALT_A)
    assert main(["run"]) == 0


def test_a_warehouse_without_a_fingerprint_adopts_the_salt_of_its_next_run(brand, monkeypatch):
    with duckdb.connect(str(brand)) as con:
        con.execute("drop table raw._settings")  # as built before fingerprints existed
    monkeypatch.setenv("SIYU_PHONE_SALT", SALT_B)
    assert main(["run"]) == 0
    assert fingerprint_in(brand) == fingerprint_of(SALT_B)
    monkeypatch.setenv("SIYU_PHONE_SALT", SALT_A)
    assert main(["run"]) == 2


def test_rekey_rebuilds_every_hash_under_the_new_salt(brand, monkeypatch, capsys):
    with duckdb.connect(str(brand)) as con:  # what the identity step and dbt built from the old hashes
        con.execute("create schema identity; create table identity.customer_map as "
                    "select 'phone' as id_type, telephone_hash as id_value from raw.leads__oceanengine")
        con.execute("create schema marts; create table marts.user_assets as select 1 as customers")
    assert quarantined_hashes(brand) == {keyed(SALT_A, QUARANTINED_PHONE)}
    monkeypatch.setenv("SIYU_PHONE_SALT", SALT_B)
    assert main(["rekey"]) == 0
    assert "every landing day is loaded again" in capsys.readouterr().out
    assert lead_hashes(brand) == {keyed(SALT_B, e164) for e164 in PHONES.values()}
    assert quarantined_hashes(brand) == {keyed(SALT_B, QUARANTINED_PHONE)}
    with duckdb.connect(str(brand), read_only=True) as con:
        schemas = {s for (s,) in con.execute("select schema_name from duckdb_tables()").fetchall()}
        days = con.execute("select count(distinct business_date) from raw._load_log").fetchone()[0]
    assert days == 2 and not schemas & {"identity", "marts"}  # rebuilt from scratch by a real run
    assert main(["run"]) == 0
    monkeypatch.setenv("SIYU_PHONE_SALT", SALT_A)
    assert main(["run"]) == 2


def test_rekey_refuses_while_raw_holds_a_day_whose_landing_is_gone(brand, tmp_path, monkeypatch, capsys):
    shutil.rmtree(tmp_path / "landing" / "leads" / "oceanengine" / DAY.isoformat())
    monkeypatch.setenv("SIYU_PHONE_SALT", SALT_B)
    before = brand.read_bytes()
    assert main(["rekey"]) == 2
    assert f"leads/oceanengine/{DAY}" in capsys.readouterr().err
    assert brand.read_bytes() == before


def test_rekey_refuses_while_people_are_erased_unless_told(brand, monkeypatch, capsys):
    """The suppression list holds keyed hashes only: a re-key cannot carry it over, and the reload
    would bring erased people back, so it waits for an explicit go-ahead."""
    with duckdb.connect(str(brand)) as con:
        con.execute("create table raw._suppressed as select 'k' as entry, 'r' as request_id")
    monkeypatch.setenv("SIYU_PHONE_SALT", SALT_B)
    before = brand.read_bytes()
    assert main(["rekey"]) == 2
    assert "siyu forget --file" in capsys.readouterr().err
    assert brand.read_bytes() == before
    assert main(["rekey", "--drop-erasures"]) == 0
    assert lead_hashes(brand) == {keyed(SALT_B, e164) for e164 in PHONES.values()}
