"""The landing sensor's change detection: new days and re-delivered days run, untouched days don't."""

import os

from dagster import AssetKey

from orchestration.defs.sensors import changed_days, fingerprints


def _write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_new_and_redelivered_days_are_detected(tmp_path):
    _write(tmp_path, "youzan/trade/2026-10-01/a.jsonl", "{}\n")
    _write(tmp_path, "oa/user/2026-10-01/u.jsonl", "{}\n")
    first = fingerprints(tmp_path)
    both = [AssetKey(["oa", "user"]), AssetKey(["youzan", "trade"])]
    assert changed_days({}, first) == {"2026-10-01": both}
    assert changed_days(first, fingerprints(tmp_path)) == {}

    _write(tmp_path, "youzan/trade/2026-10-02/a.jsonl", "{}\n")
    redelivered = _write(tmp_path, "oa/user/2026-10-01/u.jsonl", '{"x": 1}\n')
    os.utime(redelivered, ns=(1, 1))
    second = fingerprints(tmp_path)
    assert changed_days(first, second) == {
        "2026-10-01": [AssetKey(["oa", "user"])],
        "2026-10-02": [AssetKey(["youzan", "trade"])],
    }


def test_files_outside_the_layout_are_not_partitions(tmp_path):
    _write(tmp_path, "_truth/persons.csv", "x\n")
    _write(tmp_path, "nosuch/entity/2026-10-01/a.csv", "x\n")
    assert fingerprints(tmp_path) == {}
