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


def test_one_run_over_the_folders_not_built_as_they_are(tmp_path):
    from datetime import date, timedelta

    from orchestration.defs.sensors import night_request

    current = {"oa/user/2026-10-01": "a1", "oa/user/2026-10-02": "b1", "youzan/trade/2026-10-04": "c1",
               "youzan/trade/2026-09-01": "old"}
    built = {"oa/user/2026-10-01": "a1", "oa/user/2026-10-02": "b0"}  # day 2 re-delivered since
    request = night_request(current, built, retained=date(2026, 9, 15))  # 09-01 is past retention
    assert request.run_config == {"ops": {"landing": {"config": {
        "folders": ["oa/user/2026-10-02", "youzan/trade/2026-10-04"]}}}}
    assert request.tags == {"dagster/asset_partition_range_start": "2026-10-02",
                            "dagster/asset_partition_range_end": "2026-10-04"}
    # the same folders as they are: the same key (no second run) that day; delivered again, or the
    # next day (a night that did not publish): a new one
    same = night_request(current, built, date(2026, 9, 15))
    assert same.run_key == request.run_key
    assert night_request({**current, "youzan/trade/2026-10-04": "c2"}, built,
                         date(2026, 9, 15)).run_key != request.run_key
    tomorrow = date.today() + timedelta(days=2)
    assert night_request(current, built, date(2026, 9, 15), today=tomorrow).run_key != request.run_key
    assert night_request(current, current) is None


def test_the_sensor_reads_what_the_warehouse_built_and_waits_while_a_run_writes(tmp_path):
    import subprocess
    import sys
    import time

    import dagster
    import duckdb

    from ingestion.landing.changes import record
    from orchestration.definitions import defs
    from orchestration.defs.resources import Warehouse

    _write(tmp_path, "landing/youzan/trade/2026-10-01/a.jsonl", "{}\n")
    _write(tmp_path, "landing/youzan/trade/2026-10-02/a.jsonl", "{}\n")
    built = {k: v for k, v in fingerprints(tmp_path / "landing").items() if k.endswith("10-01")}
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        record(con, built)
    warehouse = Warehouse(path=str(tmp_path / "wh.duckdb"), landing_dir=str(tmp_path / "landing"),
                          phone_salt="Jq3v0Zr8Wm1kT5xYb7Nc2Ld9Pf4Hs6Ga0Ue8Ri1Ko3Qw")
    sensor = defs.resolve_sensor_def("landing_sensor")

    def tick():
        return list(sensor(dagster.build_sensor_context(resources={"warehouse": warehouse})))

    (request,) = tick()
    assert request.run_config["ops"]["landing"]["config"]["folders"] == ["youzan/trade/2026-10-02"]
    writer = subprocess.Popen([sys.executable, "-c", (
        f"import duckdb, time; con = duckdb.connect({str(tmp_path / 'wh.duckdb')!r}); "
        "print('open', flush=True); time.sleep(60)")], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        (skip,) = tick()
        assert isinstance(skip, dagster.SkipReason) and "being written" in skip.skip_message
    finally:
        writer.kill()
        writer.wait()
    time.sleep(0.2)
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        record(con, fingerprints(tmp_path / "landing"))
    (nothing,) = tick()
    assert isinstance(nothing, dagster.SkipReason) and "no new or changed" in nothing.skip_message


def test_a_run_records_its_folders_only_when_it_publishes(tmp_path):
    import duckdb

    from ingestion.landing.changes import promote_pending, record_pending, recorded

    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        record_pending(con, "stopped-run", {"oa/user/2026-10-01": "x"})  # never published
        record_pending(con, "run-2", {"oa/user/2026-10-02": "b", "youzan/trade/2026-10-02": "c"})
        assert recorded(con) == {}
        assert promote_pending(con, "run-2") == 2
        assert recorded(con) == {"oa/user/2026-10-02": "b", "youzan/trade/2026-10-02": "c"}
        assert con.execute("select count(*) from raw._landing_pending").fetchone()[0] == 0
