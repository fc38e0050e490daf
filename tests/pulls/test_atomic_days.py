"""A pulled day lands whole or not at all: a pull killed mid-paging leaves the previous delivery as it
was, and the re-run lands bytes identical to an uninterrupted pull."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from small_world import contact, fill

from ingestion.landing.changes import fingerprints
from ingestion.landing.layout import discover
from pulls.landing import recover, write_day
from pulls.run import beijing_today, pull

ROOT = Path(__file__).resolve().parents[2]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_pull_killed_mid_paging_leaves_the_previous_delivery_and_a_rerun_matches(fake, tmp_path):
    day = beijing_today() - timedelta(days=1)  # the CLI pulls snapshots for yesterday
    landing, clean = tmp_path / "landing", tmp_path / "uninterrupted"
    fill(fake, day)
    pull("wecom", [day], landing, env=fake.env(), today=day + timedelta(days=1),
         entities=["external_contact"])
    folder = landing / "wecom" / "external_contact" / day.isoformat()
    before = _files(folder)
    assert before and len(before["batch_get_by_user.jsonl"].splitlines()) == 20

    fake.wecom.state.contacts += [contact(i) for i in range(20, 26)]  # the platform moved on
    fake.fault("/batch/get_by_user", "hang", after=2)  # the third page never comes back
    env = {**os.environ, **fake.env(), "SIYU_LANDING_DIR": str(landing), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "pull", "wecom", "--date",
                             day.isoformat(), "--entity", "external_contact"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert fake.hanging.wait(60), "the pull reached the third page"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        for f in fake.faults:
            f.release.set()
    assert proc.returncode == -signal.SIGKILL
    assert _files(folder) == before, "the killed pull changed nothing in place"
    leftovers = [p.name for p in folder.parent.iterdir() if p.name.startswith(".")]
    assert len(leftovers) == 1 and leftovers[0].startswith(f".{day}.pull-"), "it died mid-write"
    assert discover(landing).stray_files == [], "the loader does not see the unfinished folder"

    fake.faults.clear()
    rerun = pull("wecom", [day], landing, env=fake.env(), today=day + timedelta(days=1),
                 entities=["external_contact"])
    once = pull("wecom", [day], clean, env=fake.env(), today=day + timedelta(days=1),
                entities=["external_contact"])
    assert rerun[0].rows == once[0].rows == 26
    assert _files(folder) == _files(clean / "wecom" / "external_contact" / day.isoformat())
    assert [p.name for p in folder.parent.iterdir()] == [day.isoformat()], "the leftover was cleared"


def test_a_repull_of_the_same_state_leaves_the_folder_untouched(fake, tmp_path):
    day = beijing_today() - timedelta(days=1)
    fill(fake, day)
    first = pull("wecom", [day], tmp_path, env=fake.env(), entities=["user_behavior"])
    prints = fingerprints(tmp_path)
    again = pull("wecom", [day], tmp_path, env=fake.env(), entities=["user_behavior"])
    assert (first[0].changed, again[0].changed) == (True, False)
    assert fingerprints(tmp_path) == prints, "no night reloads a day that did not change"


def test_a_delivery_set_aside_by_a_killed_swap_is_put_back(tmp_path):
    day = beijing_today()
    parent = tmp_path / "youzan" / "trade"
    write_day(tmp_path, "youzan", "trade", day, "trades.jsonl", [{"tid": "E1"}])
    os.rename(parent / day.isoformat(), parent / f".{day}.old-x1")  # killed between the two renames
    (parent / f".{day}.pull-x2").mkdir()
    recover(parent, day)
    assert sorted(p.name for p in parent.iterdir()) == [day.isoformat()]
    assert (parent / day.isoformat() / "trades.jsonl").read_bytes() == b'{"tid":"E1"}\n'
