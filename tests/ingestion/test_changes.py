"""Which day folders a night loads: new and changed ones, all of them, or a window's."""

import os
from datetime import date

import duckdb

from ingestion.landing.changes import fingerprints, plan, record, recorded


def _write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _landing(tmp_path):
    _write(tmp_path, "youzan/trade/2026-10-01/a.jsonl", "{}\n")
    _write(tmp_path, "youzan/trade/2026-10-02/a.jsonl", "{}\n")
    _write(tmp_path, "oa/user/2026-10-01/u.jsonl", "{}\n")
    return fingerprints(tmp_path)


def test_a_new_warehouse_loads_every_folder_and_an_unchanged_landing_none(tmp_path):
    prints = _landing(tmp_path)
    assert sorted(plan(prints, {}).load) == ["oa/user/2026-10-01", "youzan/trade/2026-10-01",
                                             "youzan/trade/2026-10-02"]
    again = plan(fingerprints(tmp_path), prints)
    assert again.load == {} and again.unchanged_days == [date(2026, 10, 1), date(2026, 10, 2)]


def test_a_redelivered_folder_and_a_new_day_load_and_nothing_else(tmp_path):
    before = _landing(tmp_path)
    same_size = _write(tmp_path, "oa/user/2026-10-01/u.jsonl", "[]\n")  # same name and size, new mtime
    os.utime(same_size, ns=(1, 1))
    _write(tmp_path, "youzan/trade/2026-10-03/a.jsonl", "{}\n")
    tonight = plan(fingerprints(tmp_path), before)
    assert sorted(tonight.load) == ["oa/user/2026-10-01", "youzan/trade/2026-10-03"]
    # day 1 loads (one of its folders changed); day 2 is the only day left as it was
    assert tonight.loaded_days == [date(2026, 10, 1), date(2026, 10, 3)]
    assert tonight.unchanged_days == [date(2026, 10, 2)]


def test_full_refresh_loads_everything_and_a_window_its_days_changed_or_not(tmp_path):
    prints = _landing(tmp_path)
    assert plan(prints, prints, full_refresh=True).load == prints
    window = plan(prints, prints, first=date(2026, 10, 2), last=date(2026, 10, 2))
    assert list(window.load) == ["youzan/trade/2026-10-02"] and window.reason == "window"
    assert window.unchanged_days == [date(2026, 10, 1)]


def test_the_warehouse_keeps_the_fingerprints_of_built_folders(tmp_path):
    prints = _landing(tmp_path)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert recorded(con) == {}
        record(con, prints)
        record(con, {"oa/user/2026-10-01": "changed"})  # replaces, never appends
        assert recorded(con) == prints | {"oa/user/2026-10-01": "changed"}
        assert con.execute("select count(*) from raw._landing_fingerprints").fetchone()[0] == 3


def test_a_rebuild_request_runs_a_night_with_nothing_new_and_is_cleared_after(tmp_path, monkeypatch):
    import orchestration.pipeline as pipeline
    from ingestion.landing.changes import rebuild_requests, request_rebuild

    prints = _landing(tmp_path / "landing")
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "p.duckdb"
    published.write_bytes(b"")
    with duckdb.connect(str(warehouse)) as con:
        record(con, prints)
    settings = type("S", (), {"landing_dir": tmp_path / "landing", "warehouse": warehouse,
                              "published": published})()
    ran = []
    monkeypatch.setattr(pipeline, "parse_dbt_project", lambda: False)
    monkeypatch.setattr(pipeline, "_execute", lambda first, last, folders, *_: ran.append(folders) or True)
    assert not pipeline.run_pipeline(settings).ran  # nothing new: nothing runs
    with duckdb.connect(str(warehouse)) as con:
        request_rebuild(con, "forget")
    night = pipeline.run_pipeline(settings)
    assert night.ran and ran == [[]]  # rebuilt from raw, no folder loaded
    with duckdb.connect(str(warehouse)) as con:
        assert rebuild_requests(con) == []
    assert not pipeline.run_pipeline(settings).ran
