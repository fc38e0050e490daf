"""Night after night, the incremental warehouse equals a full refresh of the same landing.

A replay of the small brand, each night loading only what changed (`siyu run`):
1. days 1-5 (the first night builds everything);
2. days 6-7, day 5 delivered again as it was (the same files), and day 3's Youzan orders
   re-delivered with one order fewer (a late deletion);
3. day 8 without its WeCom contact snapshot (skipped that night), and with one planted Youzan
   order that links a Youzan buyer to a lead's phone: two customers merge; day 2 pulled again, the
   same rows under new file names (a collector names its files by the time it pulls);
4. day 9, day 8's contact snapshot arriving late, and day 8's orders re-delivered without the
   planted order: the customers split again;
5. nothing new: no step runs, nothing changes.

After each of nights 2-4 the warehouse is copied and every dbt model rebuilt from scratch
(`dbt run --full-refresh`) over the same raw and identity tables: every table of the staging,
intermediate and marts schemas — the incremental staging models among them — must have the digest
the night gave it (night 1, a first build, is itself a build from scratch). At the end one fresh
run over the final landing gives the same marts (customers named by their smallest identifier, as
in test_metamorphic), which also covers the identity step: the nightly increments give the marts of
one run.
"""

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import redirect_stderr
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from landing_edits import PLANTED_TID, drop_last_order, merge_pair, plant_order, unplant_order
from marts_digest import differences, marts_digest
from small_brand import SMALL_BRAND, SMALL_BRAND_SALT
from test_metamorphic import RUN_HISTORY, _copy_days

from orchestration.pipeline import run_pipeline
from orchestration.settings import DBT_PROJECT_DIR as DBT_DIR
from simulator import simulate

pytestmark = pytest.mark.e2e
FIRST = SMALL_BRAND["end_date"] - timedelta(days=SMALL_BRAND["days"] - 1)
DAY = {n: FIRST + timedelta(days=n - 1) for n in range(1, 10)}
LOG = "select source, entity, business_date, file, rows_loaded, loaded_at from raw._load_log"
# Built tables compared after each night (views are the same SQL over the same tables).
SCHEMAS = ("staging", "intermediate", "marts")
# identity_changes stamps when a merge was noticed: a rebuild copies identity.changes, not the clock;
# the identity pairs and nodes, the run that wrote them.
CLOCK = {"identity_changes": "changed_at", "int_identity__pairs": "written_run",
         "int_identity__nodes": "pairs_run"}


def _run(settings):
    from dagster import DagsterInstance

    with DagsterInstance.ephemeral() as instance:
        return run_pipeline(settings, instance=instance)


def _log(settings) -> set:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return set(con.execute(LOG).fetchall())


def _digests(warehouse) -> dict[str, tuple[int, str]]:
    """Per built table of SCHEMAS: its rows and an md5 over its rows' text, sorted."""
    out = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name in "
            f"{SCHEMAS} and not temporary order by all"
        ).fetchall()
        for schema, table in tables:
            columns = f"* exclude ({CLOCK[table]})" if table in CLOCK else "*"
            out[f"{schema}.{table}"] = con.execute(
                f"select count(*), md5(coalesce(string_agg(h, '' order by h), '')) from "
                f"(select md5(cast(t as varchar)) as h from (select {columns} from {schema}.{table}) as t)"
            ).fetchone()
    return out


def _full_refresh_digests(settings, scratch) -> dict[str, tuple[int, str]]:
    """Every dbt model rebuilt from scratch on a copy of the warehouse (dbt in a subprocess: an
    in-process dbt keeps its DuckDB connection open after it returns)."""
    copy = scratch / "full_refresh.duckdb"
    shutil.copyfile(settings.warehouse, copy)
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), "run", "--full-refresh", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
         "--target-path", str(scratch / "target"), "--log-path", str(scratch / "logs")],
        env={**os.environ, "SIYU_WAREHOUSE": str(copy)}, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    digests = _digests(copy)
    copy.unlink()
    return digests


def _staged_landing(settings, tid):
    """The landing day of the order's kept version in the incremental staging table (None: none)."""
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        query = "select landed_date from staging.stg_youzan__trades where tid = ?"
        row = con.execute(query, [tid]).fetchone()
        return row[0] if row else None


def _customers(settings, pairs) -> list[str]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return [
            con.execute(
                "select customer_id from identity.customer_map where id_type = ? and id_value = ?", pair
            ).fetchone()[0]
            for pair in pairs
        ]


@pytest.fixture(scope="module")
def nights(tmp_path_factory, brand_env):
    root = tmp_path_factory.mktemp("incremental_nights")
    simulated, nightly, once, scratch = (root / n for n in ("simulated", "nightly", "once", "scratch"))
    scratch.mkdir()
    simulate(simulated, **SMALL_BRAND)
    landing = nightly / "landing"
    settings = brand_env(landing, nightly, SMALL_BRAND_SALT)
    out = {"settings": settings, "runs": [], "consoles": [], "logs": [], "compared": []}

    def night(compare=True):
        console = io.StringIO()  # what `siyu run` shows
        with redirect_stderr(console):
            out["runs"].append(_run(settings))
        out["consoles"].append(console.getvalue())
        out["logs"].append(_log(settings))
        if compare:
            out["compared"].append((_digests(settings.warehouse), _full_refresh_digests(settings, scratch)))

    _copy_days(simulated, landing, last=DAY[5])
    night(compare=False)  # a first build: every model from scratch already

    _copy_days(simulated, landing, first=DAY[5], last=DAY[7])  # day 5 again: the same bytes and times
    dropped = drop_last_order(landing, DAY[3])
    out["dropped_before"] = _staged_landing(settings, dropped)
    night()
    out["dropped_after"] = _staged_landing(settings, dropped)

    _copy_days(simulated, landing, first=DAY[8], last=DAY[8])
    snapshot = landing / "wecom" / "external_contact" / DAY[8].isoformat()
    shutil.move(snapshot, scratch / "held_snapshot")
    record, phone, yz_open_id, clue_id = merge_pair(settings, landing)
    out["pair"] = [("yz_open_id", yz_open_id), ("clue_id", clue_id)]
    out["apart_before"] = _customers(settings, out["pair"])
    plant_order(landing, DAY[8], record, phone)
    for path in landing.glob(f"*/*/{DAY[2]}/*"):
        path.rename(path.with_name(f"pulled_again_{path.name}"))
    night()
    out["merged"] = _customers(settings, out["pair"])
    out["planted"] = [_staged_landing(settings, PLANTED_TID)]

    _copy_days(simulated, landing, first=DAY[9], last=DAY[9])
    shutil.move(scratch / "held_snapshot", snapshot)
    unplant_order(landing, DAY[8])
    night()
    out["split"] = _customers(settings, out["pair"])
    out["planted"].append(_staged_landing(settings, PLANTED_TID))

    files = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (settings.warehouse, settings.published)}
    started = time.monotonic()
    out["idle"] = _run(settings)
    out["idle_seconds"] = time.monotonic() - started
    out["files_unchanged"] = all(hashlib.sha256(p.read_bytes()).hexdigest() == h for p, h in files.items())
    out["log_after_idle"] = _log(settings)
    out["nightly_marts"] = marts_digest(settings.warehouse, canonical_ids=True)

    shutil.copytree(landing, once / "landing")  # copy2: the same files, mtimes kept
    once_settings = brand_env(once / "landing", once, SMALL_BRAND_SALT)
    out["single"] = _run(once_settings)
    out["once_marts"] = marts_digest(once_settings.warehouse, canonical_ids=True)
    out["once"] = once_settings
    return out


def test_the_nights_after_the_first_begin_their_landing_and_raw_checks_ahead(nights):
    # orchestration/ahead.py: begun as the night starts, in their workers, taken by their steps; not
    # on the first night, which builds the seeds (their dbt step opens the warehouse too)
    first, *later = nights["consoles"]
    assert "begun as the night started" not in first and "] landing:" in first, first
    assert len(later) == 3
    for console in later:
        for step in ("landing", "raw checks"):
            line = next(line for line in console.splitlines() if f"] {step}:" in line)
            assert re.search(r"\(\d+ s, begun as the night started\)$", line), console
        assert console.count("begun as the night started") == 2, console


def test_each_night_loads_the_new_and_changed_days_only(nights):
    first, second, third, fourth = nights["runs"]
    assert all(nights["runs"]) and nights["single"]
    assert first.plan.loaded_days == [DAY[n] for n in range(1, 6)]
    assert second.plan.loaded_days == [DAY[3], DAY[6], DAY[7]]
    assert second.plan.unchanged_days == [DAY[1], DAY[2], DAY[4], DAY[5]]
    # only the changed folder of day 3 loads again, not day 3's other entities
    assert [k for k in second.plan.load if k.endswith(DAY[3].isoformat())] == [f"youzan/trade/{DAY[3]}"]
    assert third.plan.loaded_days == [DAY[2], DAY[8]]
    assert f"wecom/external_contact/{DAY[8]}" not in third.plan.load
    assert fourth.plan.loaded_days == [DAY[8], DAY[9]]
    assert sorted(k for k in fourth.plan.load if k.endswith(DAY[8].isoformat())) == [
        f"wecom/external_contact/{DAY[8]}", f"youzan/trade/{DAY[8]}"
    ]


def test_the_days_not_loaded_keep_their_raw_rows_as_loaded(nights):
    before, after = nights["logs"][:2]
    kept = {row for row in before if row[2] != DAY[3] or row[:2] != ("youzan", "trade")}
    assert kept <= after  # the same files, row counts and loaded_at: not reloaded
    redelivered = [row for row in after - before if row[2] == DAY[3]]
    assert [(r[0], r[1]) for r in redelivered] == [("youzan", "trade")]
    old = [row for row in before if row[:3] == ("youzan", "trade", DAY[3])]
    assert redelivered[0][4] == old[0][4] - 1  # one order fewer, under the loader's re-delivery rule


def test_a_day_pulled_again_under_new_names_replaces_its_rows(nights):
    """Day 2's files renamed, their bytes the same: the day loads again, from the new files only,
    with the rows it had (the tables and marts are those of a full refresh, below)."""
    second, third = nights["logs"][1:3]
    day_2 = lambda log: sorted((r[0], r[1], r[3].rsplit("/", 1)[-1], r[4]) for r in log if r[2] == DAY[2])  # noqa: E731
    before, after = day_2(second), day_2(third)
    assert before and [(s, e, f"pulled_again_{f}", n) for s, e, f, n in before] == after


def test_the_planted_order_merges_two_customers_and_its_removal_splits_them(nights):
    buyer, lead = nights["apart_before"]
    assert buyer != lead
    assert len(set(nights["merged"])) == 1, nights["merged"]
    assert len(set(nights["split"])) == 2, nights["split"]


@pytest.mark.parametrize("night", [2, 3, 4])
def test_after_each_night_every_model_equals_a_full_refresh(nights, night):
    incremental, full = nights["compared"][night - 2]
    assert set(incremental) == set(full)
    differ = {t: (incremental[t], full[t]) for t in full if incremental[t] != full[t]}
    assert not differ, differ
    # the comparison covers the incremental staging models and every mart, and they hold rows
    for table in ("staging.stg_youzan__trades", "staging.stg_wecom__messages", "marts.user_assets"):
        assert full[table][0] > 0, table
    assert sum(t.startswith("marts.") for t in full) >= 20


def test_the_incremental_models_hold_the_night_s_changes(nights):
    """The re-delivered day's lost version left the incremental staging table, and the planted order
    came and went with its folder: the comparisons above are over tables that did change."""
    assert nights["dropped_before"] == DAY[3]
    assert nights["dropped_after"] is None or nights["dropped_after"] < DAY[3]
    assert nights["planted"] == [DAY[8], None]


def test_the_marts_equal_one_run_over_the_whole_folder(nights):
    differ = [t for t in differences(nights["nightly_marts"], nights["once_marts"]) if t not in RUN_HISTORY]
    assert not differ, differ
    assert nights["nightly_marts"]["user_assets"][0] > 0 and len(nights["nightly_marts"]) >= 20
    latest = "select * from marts.clv_calibration where as_of_date = ?"
    with duckdb.connect(str(nights["settings"].warehouse), read_only=True) as a:
        with duckdb.connect(str(nights["once"].warehouse), read_only=True) as b:
            assert a.execute(latest, [DAY[9]]).fetchall() == b.execute(latest, [DAY[9]]).fetchall()


def test_a_night_with_nothing_new_runs_nothing_and_changes_nothing(nights):
    idle = nights["idle"]
    assert idle and not idle.ran and not idle.plan.load
    assert idle.plan.unchanged_days == [DAY[n] for n in range(1, 10)]
    assert nights["files_unchanged"]  # the warehouse and the published copy, byte for byte
    assert nights["log_after_idle"] == nights["logs"][-1]
    assert nights["idle_seconds"] < 10, nights["idle_seconds"]  # fingerprints only: well under 1 s idle
