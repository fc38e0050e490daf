"""The landing file: a line per event, durable, written once, never two lines interleaved."""

import json
import os
import threading
from datetime import date

import pytest

from callbacks.store import Landing, LandingBusy, claim

DAY = date(2024, 5, 20)


def event(i: int, change: str = "add_external_contact") -> dict:
    return {"ToUserName": "ww0123456789abcdef", "FromUserName": "sys", "CreateTime": 1716170400 + i,
            "MsgType": "event", "Event": "change_external_contact", "ChangeType": change,
            "UserID": "zhangsan", "ExternalUserID": f"wm{i:06d}"}


def lines(root, day=DAY) -> list[dict]:
    path = Landing(root).path("wecom", "contact_event", day)  # the day's file, open or published
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_repeat_is_skipped_and_a_conflict_is_kept(tmp_path):
    landing = Landing(tmp_path, today=lambda: DAY)
    assert landing.append("wecom", "contact_event", event(1)) is True
    assert landing.append("wecom", "contact_event", event(1)) is False  # the platform's retry
    # the same dedupe key with another value is no repeat: the loader decides which one holds
    assert landing.append("wecom", "contact_event", {**event(1), "State": "store_qr"}) is True
    assert lines(tmp_path) == [event(1), {**event(1), "State": "store_qr"}]


def test_the_index_is_rebuilt_from_the_files_after_a_restart(tmp_path):
    Landing(tmp_path, today=lambda: DAY).append("wecom", "contact_event", event(1))
    restarted = Landing(tmp_path, today=lambda: DAY)
    assert restarted.append("wecom", "contact_event", event(1)) is False
    assert restarted.append("wecom", "contact_event", event(2)) is True
    assert [e["ExternalUserID"] for e in lines(tmp_path)] == ["wm000001", "wm000002"]


def test_a_retry_after_midnight_finds_yesterdays_line(tmp_path):
    days = iter([DAY, date(2024, 5, 21), date(2024, 5, 21)])
    landing = Landing(tmp_path, today=lambda: next(days))
    landing.append("wecom", "contact_event", event(1))  # 23:59:58
    assert landing.append("wecom", "contact_event", event(1)) is False  # retried at 00:00:03
    assert landing.append("wecom", "contact_event", event(2)) is True  # a new event lands in the new day
    assert lines(tmp_path) == [event(1)] and lines(tmp_path, date(2024, 5, 21)) == [event(2)]


def test_entities_have_their_own_files_and_indexes(tmp_path):
    landing = Landing(tmp_path, today=lambda: DAY)
    line = {"FromUserName": "o6_bm", "CreateTime": 1716170400, "MsgType": "event", "Event": "subscribe"}
    assert landing.append("oa", "event", line) and landing.append("wecom", "contact_event", event(1))
    assert landing.path("oa", "event", DAY).read_text(encoding="utf-8") == (
        '{"FromUserName": "o6_bm", "CreateTime": 1716170400, "MsgType": "event", "Event": "subscribe"}\n')


def test_a_torn_last_line_is_cut_at_start(tmp_path):
    """A process killed inside its write leaves part of a line it never acknowledged."""
    Landing(tmp_path, today=lambda: DAY).append("wecom", "contact_event", event(1))
    path = tmp_path / "wecom" / "contact_event" / "2024-05-20" / ".callbacks.jsonl"
    with open(path, "ab") as f:
        f.write(b'{"ToUserName": "ww0123456789abcdef", "FromUs')
    restarted = Landing(tmp_path, today=lambda: DAY)
    restarted.prepare([("wecom", "contact_event")])
    assert path.read_bytes().endswith(b"}\n")
    restarted.append("wecom", "contact_event", event(2))  # the retry of the torn one
    assert lines(tmp_path) == [event(1), event(2)]


def test_concurrent_appends_give_whole_lines_each_once(tmp_path):
    landing = Landing(tmp_path, today=lambda: DAY)
    results: list[bool] = []

    def send(start: int) -> None:
        for i in range(start, start + 50):  # every event twice, from two threads
            results.append(landing.append("wecom", "contact_event", event(i % 200, "del_follow_user")))

    threads = [threading.Thread(target=send, args=(s,)) for s in (0, 50, 100, 150, 200, 250, 300, 350)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = lines(tmp_path)  # json.loads fails on any half line
    assert len(results) == 400 and sum(results) == 200
    assert sorted(e["ExternalUserID"] for e in got) == [f"wm{i:06d}" for i in range(200)]


def test_a_second_receiver_on_the_same_landing_is_refused(tmp_path):
    fd = claim(tmp_path)
    with pytest.raises(LandingBusy, match="another `siyu receive`"):
        claim(tmp_path)
    os.close(fd)  # the holder exits: the folder is free again
    os.close(claim(tmp_path))


def test_a_failed_write_leaves_no_half_line(tmp_path, monkeypatch):
    landing = Landing(tmp_path, today=lambda: DAY)
    landing.append("wecom", "contact_event", event(1))
    real_write = os.write

    def full_disk(fd, data):  # the first 10 bytes go, then the disk is full
        real_write(fd, bytes(data[:10]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(OSError):
        landing.append("wecom", "contact_event", event(2))
    monkeypatch.setattr(os, "write", real_write)
    assert landing.append("wecom", "contact_event", event(2)) is True  # the retry, once space is back
    assert lines(tmp_path) == [event(1), event(2)]
