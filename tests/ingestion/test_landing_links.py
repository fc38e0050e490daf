"""Discovery never leaves the landing folder: symbolic links are reported, never followed, and
links that loop back cannot hang it."""

import os
import threading
from datetime import date

from test_loader_support import DAY, SALT, contact_event, jsonl, land, rows

from ingestion.contracts import get
from ingestion.landing.layout import discover, entity_days, partition_files, why_unloadable
from ingestion.load.daily import load_range
from ingestion.load.loader import record_unknown_files

NEXT = date(2024, 5, 2)


def outside_folder(tmp_path):
    """A folder beside the landing folder holding contact events nobody delivered."""
    out = tmp_path / "outside"
    (out / "contact_event" / "2024-05-01").mkdir(parents=True)
    secret = jsonl([contact_event(900), contact_event(901)])
    (out / "secret.jsonl").write_text(secret)
    (out / "contact_event" / "2024-05-01" / "secret.jsonl").write_text(secret)
    return out


def test_links_out_of_the_landing_folder_are_reported_and_not_loaded(tmp_path, con):
    root, out = tmp_path / "landing", outside_folder(tmp_path)
    land(root, "wecom", "contact_event", "real.jsonl", jsonl([contact_event(1)]))
    day = root / "wecom" / "contact_event" / DAY.isoformat()
    (day / "link.jsonl").symlink_to(out / "secret.jsonl")  # a file link in a real day
    (root / "wecom" / "contact_event" / NEXT.isoformat()).symlink_to(out / "contact_event" / "2024-05-01")
    (root / "wecom" / "friend").symlink_to(out / "contact_event")  # an entity folder link
    (root / "oa").symlink_to(out)  # a source folder link

    landing = discover(root)
    assert landing.partitions == {("wecom", "contact_event"): [DAY]}
    assert sorted((s.rel, s.reason) for s in landing.stray_files) == [
        ("oa", "symlink"),
        ("wecom/contact_event/2024-05-01/link.jsonl", "symlink"),
        ("wecom/contact_event/2024-05-02", "symlink"),
        ("wecom/friend", "symlink"),
    ]
    assert entity_days(root, "wecom", "contact_event") == [DAY]
    assert partition_files(root, "wecom", "contact_event", DAY) == [day / "real.jsonl"]
    assert partition_files(root, "wecom", "contact_event", NEXT) == []
    assert entity_days(root, "wecom", "friend") == []

    load_range(con, root, get("wecom", "contact_event"), DAY, NEXT, SALT)
    loaded = rows(con, "select external_userid from raw.wecom__contact_event")
    assert [r["external_userid"] for r in loaded] == ["wm000001"]  # not wm000900 / wm000901


def test_links_stay_recorded_once_across_runs(tmp_path, con):
    root, out = tmp_path / "landing", outside_folder(tmp_path)
    land(root, "wecom", "contact_event", "real.jsonl", jsonl([contact_event(1)]))
    (root / "wecom" / "contact_event" / DAY.isoformat() / "link.jsonl").symlink_to(out / "secret.jsonl")
    (root / "oa").symlink_to(out)
    for _ in range(2):  # as the landing asset runs: the records first, then the days
        assert record_unknown_files(con, discover(root)) == 2
        load_range(con, root, get("wecom", "contact_event"), DAY, DAY, SALT)
    got = rows(con, "select file, reason, business_date from raw._quarantine")
    assert sorted((g["file"], g["reason"], g["business_date"]) for g in got) == [
        ("oa", "symlink", None),
        ("wecom/contact_event/2024-05-01/link.jsonl", "symlink", DAY),
    ]


def finishes_within(seconds: float, work) -> list:
    """Run `work()` in a thread; its result, or fail when it is still running after `seconds`."""
    result = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return result[0]


def loop_links(folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("a", "b"):
        os.symlink(".", folder / name)


def test_two_loop_links_finish_within_a_second(tmp_path):
    root = tmp_path / "landing"
    day = land(root, "wecom", "contact_event", "real.jsonl", jsonl([contact_event(1)])).parent
    for folder in (root, root / "wecom", day, day / "sub", root / "weibo" / "post" / "2024-05-01",
                   root / "wecom" / "contact_event" / "2024-13-01"):
        loop_links(folder)

    landing = finishes_within(1.0, lambda: discover(root))
    assert landing.partitions == {("wecom", "contact_event"): [DAY]}
    links = sorted(s.rel for s in landing.stray_files if s.reason == "symlink")
    folders = ["wecom", "wecom/contact_event/2024-05-01", "wecom/contact_event/2024-05-01/sub",
               "wecom/contact_event/2024-13-01", "weibo/post/2024-05-01"]
    assert links == sorted(["a", "b"] + [f"{where}/{name}" for where in folders for name in "ab"])
    assert finishes_within(1.0, lambda: partition_files(root, "wecom", "contact_event", DAY)) == [
        day / "real.jsonl"]


def test_a_landing_folder_of_links_says_why_nothing_loads(tmp_path):
    root, out = tmp_path / "landing", outside_folder(tmp_path)
    (root / "wecom").mkdir(parents=True)
    (root / "wecom" / "contact_event").symlink_to(out / "contact_event")
    loop_links(root)
    message = finishes_within(1.0, lambda: why_unloadable(root))
    lines = message.splitlines()
    assert lines[0] == f"nothing to load under {root}: expected <source>/<entity>/<YYYY-MM-DD>/<file>"
    assert [line.split("`")[1] for line in lines[1:]] == ["a", "b", "wecom/contact_event"]
    assert all("is a symbolic link, and links are not followed" in line for line in lines[1:])
