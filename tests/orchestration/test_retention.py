"""`siyu retain`: raw rows and landing day folders either side of the boundaries, counted by hand.

Raw boundary: today − 10 days (B); landing boundary: today − 5 days. Day offsets below are days
before today. What must go, by hand:
  mp__event (events)      3 + 2 rows on days 12 and 11 → 5; days 10 (= B) and 9 stay
  mp__user (snapshot)     days 17 (2 rows), 13 (3), 4 (2): 13 is the snapshot in force at B → 2
  pos__member (snapshot)  days 30 (2), 26 (3): 26 is its latest, kept whatever its age → 2
  _quarantine             mp/event day 11 (2 rows) and pos/member day 30 (1) → 3; mp/user day 13,
                          mp/event day 10 and a stray file without a date stay
Landing, days before today − 5: mp/event day 11 loaded unchanged → deleted; day 12 holds a file
never loaded, day 13 a file changed after its load, day 14 is a link, day 15 holds a link → kept.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, date, datetime, timedelta

import duckdb
import pytest

import orchestration.cli
from ingestion.landing.changes import fingerprints, plan, rebuild_requests, retained_before, split_key
from ingestion.write.rawdb import ensure_raw_schema
from orchestration.retention import BEIJING, Policy, retain

TODAY = datetime.now(BEIJING).date()
LOADED_AT = datetime(2020, 1, 2, tzinfo=UTC)
BEFORE_LOAD = datetime(2020, 1, 1, tzinfo=UTC).timestamp()
AFTER_LOAD = datetime(2020, 1, 3, tzinfo=UTC).timestamp()
RAW = {
    "mp__event": {12: 3, 11: 2, 10: 4, 9: 1},
    "mp__user": {17: 2, 13: 3, 4: 2},
    "pos__member": {30: 2, 26: 3},
}
QUARANTINED = [("mp", "event", 11), ("mp", "event", 11), ("mp", "event", 10), ("mp", "user", 13)]
QUARANTINED += [("pos", "member", 30), ("org", "stray", None)]


@pytest.fixture(autouse=True)
def same_today(monkeypatch):
    """`siyu retain` counts back from the day this module built its world for, even when Beijing's
    midnight falls between the two (TODAY is read at import, the command runs later)."""
    monkeypatch.setattr("orchestration.retention.beijing_today", lambda: TODAY)


def day(n: int) -> date:
    return TODAY - timedelta(days=n)


def folder(n: int) -> str:
    return f"mp/event/{day(n)}"


def write(path, text="{}\n", mtime=BEFORE_LOAD):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.utime(path, (mtime, mtime))


@pytest.fixture
def world(tmp_path):
    landing, outside = tmp_path / "landing", tmp_path / "outside"
    write(outside / "secret.jsonl")
    write(landing / folder(11) / "a.jsonl")  # loaded unchanged
    write(landing / folder(12) / "a.jsonl")
    write(landing / folder(12) / "b.jsonl")  # never loaded
    write(landing / folder(13) / "a.jsonl", mtime=AFTER_LOAD)  # re-delivered after its load
    (landing / folder(14)).parent.mkdir(parents=True, exist_ok=True)
    (landing / folder(14)).symlink_to(outside, target_is_directory=True)
    write(landing / folder(15) / "a.jsonl")
    (landing / folder(15) / "b.jsonl").symlink_to(outside / "secret.jsonl")
    write(landing / folder(3) / "a.jsonl")  # inside the landing window
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        ensure_raw_schema(con)
        for table, days in RAW.items():
            for n, rows in days.items():
                for i in range(rows):
                    con.execute(
                        f"insert into raw.{table} (_business_date, _row_number) values (?, ?)", [day(n), i]
                    )
        for source, entity, n in QUARANTINED:
            con.execute(
                "insert into raw._quarantine (source, entity, business_date, reason) values (?, ?, ?, 'x')",
                [source, entity, n and day(n)],
            )
        for n in (11, 12, 13, 14, 15, 3):
            for name in ("a.jsonl", "b.jsonl"):
                if (n, name) != (12, "b.jsonl"):
                    con.execute(
                        "insert into raw._load_log (source, entity, business_date, file, loaded_at) "
                        "values ('mp', 'event', ?, ?, ?)",
                        [day(n), f"{folder(n)}/{name}", LOADED_AT],
                    )
    return tmp_path


def digest(root) -> str:
    """Every table's rows and every file's bytes (links by their target, never followed)."""
    h = hashlib.sha256()
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        for (table,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw' order by 1"
        ).fetchall():
            h.update(repr(sorted(map(repr, con.execute(f'select * from raw."{table}"').fetchall()))).encode())
    for base, dirs, files in sorted(os.walk(root / "landing")):
        for name in sorted(dirs + files):
            path = os.path.join(base, name)
            h.update(path.encode())
            h.update(os.readlink(path).encode() if os.path.islink(path) else b"")
            h.update(open(path, "rb").read() if name in files and not os.path.islink(path) else b"")
    return h.hexdigest()


def rows_by_day(con, table: str) -> dict[int, int]:
    found = con.execute(f"select _business_date, count(*) from raw.{table} group by 1").fetchall()
    return {(TODAY - d).days: n for d, n in found}


def test_apply_deletes_what_the_hand_count_says(world):
    with duckdb.connect(str(world / "warehouse.duckdb")) as con:
        report = retain(con, world / "landing", Policy(10, 5), apply=True, today=TODAY)
        assert {t: n for t, n in report.rows.items() if n} == {
            "mp__event": 5,
            "mp__user": 2,
            "pos__member": 2,
            "_quarantine": 3,
        }
        assert rows_by_day(con, "mp__event") == {10: 4, 9: 1}
        assert rows_by_day(con, "mp__user") == {13: 3, 4: 2}
        assert rows_by_day(con, "pos__member") == {26: 3}
        assert report.kept_snapshots == {"mp__user": day(13), "pos__member": day(26)}
        left = con.execute("select entity, business_date from raw._quarantine order by all").fetchall()
        assert left == [("event", day(10)), ("stray", None), ("user", day(13))]
        assert con.execute("select count(*) from raw._load_log").fetchone()[0] == 11  # kept: no row data
    assert report.deleted == [folder(11)]
    kept = dict(report.kept)
    assert sorted(kept) == [folder(15), folder(14), folder(13), folder(12)]  # oldest first
    assert kept[folder(12)] == "b.jsonl was never loaded"
    assert kept[folder(13)].startswith("a.jsonl changed after its load")
    assert kept[folder(14)] == "a symbolic link: not followed"
    assert kept[folder(15)] == "holds a symbolic link (b.jsonl), not followed"
    landing = world / "landing"
    assert not (landing / folder(11)).exists() and (landing / folder(3) / "a.jsonl").exists()
    assert (world / "outside" / "secret.jsonl").exists() and (landing / folder(14)).is_symlink()
    # days 12, 13 and 15 remain before the raw boundary (the loader does not follow day 14's link
    # either): the boundary is recorded, so no night loads them again, and a rebuild is asked for
    assert report.reloaded == 3
    with duckdb.connect(str(world / "warehouse.duckdb")) as con:
        assert retained_before(con) == TODAY - timedelta(days=10)
        assert rebuild_requests(con) == ["retention"]
        tonight = plan(fingerprints(landing), {}, full_refresh=True, retained=retained_before(con))
        assert sorted(tonight.retired) == sorted([folder(12), folder(13), folder(15)])
        assert tonight.load and min(split_key(k)[2] for k in tonight.load) >= day(10)
        again = retain(con, landing, Policy(10, 5), apply=True, today=TODAY)  # a second pass: nothing
    assert not any(again.rows.values()) and again.deleted == []


def test_a_dry_run_changes_nothing(world, monkeypatch, capsys):
    monkeypatch.setenv("SIYU_WAREHOUSE", str(world / "warehouse.duckdb"))
    monkeypatch.setenv("SIYU_LANDING_DIR", str(world / "landing"))
    monkeypatch.setenv("SIYU_RETAIN_RAW_DAYS", "10")
    monkeypatch.setenv("SIYU_RETAIN_LANDING_DAYS", "5")
    before, file_before = digest(world), (world / "warehouse.duckdb").read_bytes()
    assert orchestration.cli.main(["retain"]) == 0
    out = capsys.readouterr().out
    assert "raw.mp__event: would delete 5 rows" in out and f"would delete: {folder(11)}" in out
    assert "dry run: nothing was deleted" in out
    assert digest(world) == before and (world / "warehouse.duckdb").read_bytes() == file_before


@pytest.mark.parametrize("variable", ["SIYU_RETAIN_RAW_DAYS", "SIYU_RETAIN_LANDING_DAYS"])
@pytest.mark.parametrize("value", ["-1", "1.5", "three", "10 days"])
def test_a_bad_setting_exits_2_and_deletes_nothing(world, monkeypatch, capsys, variable, value):
    monkeypatch.setenv("SIYU_WAREHOUSE", str(world / "warehouse.duckdb"))
    monkeypatch.setenv("SIYU_LANDING_DIR", str(world / "landing"))
    monkeypatch.setenv("SIYU_RETAIN_RAW_DAYS", "10")
    monkeypatch.setenv("SIYU_RETAIN_LANDING_DAYS", "5")
    monkeypatch.setenv(variable, value)
    before = digest(world)
    assert orchestration.cli.main(["retain", "--apply"]) == 2
    assert f"{variable}={value!r}: a whole number of days" in capsys.readouterr().err
    assert digest(world) == before


def test_landing_files_stay_unless_their_retention_is_set(world):
    before = digest(world)
    with duckdb.connect(str(world / "warehouse.duckdb")) as con:
        report = retain(con, world / "landing", Policy(0, None), apply=False, today=TODAY)
    assert report.deleted == [] and report.kept == [] and digest(world) == before
    assert report.rows["mp__event"] == 10  # every event day before today
    assert report.kept_snapshots == {"mp__user": day(4), "pos__member": day(26)}
    assert any("they are the brand's" in line for line in report.lines())
