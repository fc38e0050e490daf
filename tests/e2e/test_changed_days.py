"""`siyu run` loads only the day folders that are new or changed, and the marts still equal one run
over the whole folder: the models rebuild over all of raw, whose other days keep their rows.

Days 1-5 of the small brand arrive and run; then days 6-7 arrive and day 3's Youzan orders are
re-delivered with one order fewer, and a second night loads exactly days 3, 6 and 7. A fresh
warehouse runs once over the same final folder; every mart must be equal (customers named by their
smallest identifier, as in test_metamorphic). A third night with nothing new runs no step at all.
"""

import hashlib
import shutil
import time
from datetime import timedelta

import duckdb
import pytest
from marts_digest import differences, marts_digest
from small_brand import SMALL_BRAND, SMALL_BRAND_SALT
from test_metamorphic import RUN_HISTORY, _copy_days

from orchestration.pipeline import run_pipeline
from simulator import simulate

pytestmark = pytest.mark.e2e
FIRST = SMALL_BRAND["end_date"] - timedelta(days=SMALL_BRAND["days"] - 1)
DAY = {n: FIRST + timedelta(days=n - 1) for n in range(1, 8)}
LOG = "select source, entity, business_date, file, rows_loaded, loaded_at from raw._load_log"


def _run(settings):
    from dagster import DagsterInstance

    with DagsterInstance.ephemeral() as instance:
        return run_pipeline(settings, instance=instance)


def _log(settings) -> set:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return set(con.execute(LOG).fetchall())


def _drop_last_order(landing):
    """Day 3's Youzan orders re-delivered with the last order missing (a smaller file, a new mtime)."""
    (path,) = sorted((landing / "youzan" / "trade" / DAY[3].isoformat()).glob("*.jsonl"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) >= 2, "day 3 needs orders to change"
    path.write_text("".join(lines[:-1]), encoding="utf-8")


@pytest.fixture(scope="module")
def nights(tmp_path_factory, brand_env):
    root = tmp_path_factory.mktemp("changed_days")
    simulated, nightly, once = root / "simulated", root / "nightly", root / "once"
    simulate(simulated, **SMALL_BRAND)
    _copy_days(simulated, nightly / "landing", last=DAY[5])
    settings = brand_env(nightly / "landing", nightly, SMALL_BRAND_SALT)
    first = _run(settings)
    log_after_first = _log(settings)

    _copy_days(simulated, nightly / "landing", first=DAY[6], last=DAY[7])
    _drop_last_order(nightly / "landing")
    second = _run(settings)
    log_after_second = _log(settings)
    nightly_digest = marts_digest(settings.warehouse, canonical_ids=True)
    files = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (settings.warehouse, settings.published)}
    started = time.monotonic()
    third = _run(settings)
    third_seconds = time.monotonic() - started
    unchanged = all(hashlib.sha256(p.read_bytes()).hexdigest() == h for p, h in files.items())

    shutil.copytree(nightly / "landing", once / "landing")  # copy2: the same files, mtimes kept
    once_settings = brand_env(once / "landing", once, SMALL_BRAND_SALT)
    single = _run(once_settings)
    return {
        "nights": (first, second, third), "single": single, "third_seconds": third_seconds,
        "logs": (log_after_first, log_after_second), "log_after_third": _log(settings),
        "files_unchanged": unchanged, "settings": settings, "once": once_settings,
        "digests": (nightly_digest, marts_digest(once_settings.warehouse, canonical_ids=True)),
    }


def test_each_night_loads_the_new_and_changed_days_only(nights):
    first, second, third = nights["nights"]
    assert first and second and nights["single"]
    assert first.plan.loaded_days == [DAY[n] for n in range(1, 6)]
    assert second.plan.loaded_days == [DAY[3], DAY[6], DAY[7]]
    assert second.plan.unchanged_days == [DAY[1], DAY[2], DAY[4], DAY[5]]
    # only the changed folder of day 3 loads again, not day 3's other entities
    assert [k for k in second.plan.load if k.endswith(DAY[3].isoformat())] == [f"youzan/trade/{DAY[3]}"]


def test_the_days_not_loaded_keep_their_raw_rows_as_loaded(nights):
    before, after = nights["logs"]
    kept = {row for row in before if row[2] != DAY[3] or row[:2] != ("youzan", "trade")}
    assert kept <= after  # the same files, row counts and loaded_at: not reloaded
    redelivered = [row for row in after - before if row[2] == DAY[3]]
    assert [(r[0], r[1]) for r in redelivered] == [("youzan", "trade")]
    old = [row for row in before if row[:3] == ("youzan", "trade", DAY[3])]
    assert redelivered[0][4] == old[0][4] - 1  # one order fewer, under the loader's re-delivery rule


def test_the_marts_equal_one_run_over_the_whole_folder(nights):
    nightly, once = nights["digests"]
    differ = [t for t in differences(nightly, once) if t not in RUN_HISTORY]
    assert not differ, differ
    assert nightly["user_assets"][0] > 0 and len(nightly) >= 20
    latest = "select * from marts.clv_calibration where as_of_date = ?"
    with duckdb.connect(str(nights["settings"].warehouse), read_only=True) as a:
        with duckdb.connect(str(nights["once"].warehouse), read_only=True) as b:
            assert a.execute(latest, [DAY[7]]).fetchall() == b.execute(latest, [DAY[7]]).fetchall()


def test_a_night_with_nothing_new_runs_nothing_and_changes_nothing(nights):
    third = nights["nights"][2]
    assert third and not third.ran and not third.plan.load
    assert third.plan.unchanged_days == [DAY[n] for n in range(1, 8)]
    assert nights["files_unchanged"]  # the warehouse and the published copy, byte for byte
    assert nights["log_after_third"] == nights["logs"][1]
    assert nights["third_seconds"] < 10, nights["third_seconds"]  # fingerprints only: well under 1 s idle
