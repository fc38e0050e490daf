"""`siyu forget` rebuilds the models unless a rebuild could change nothing: a request repeated after
its rebuild succeeded (every identifier already suppressed, nothing left to erase, no rebuild pending,
neither DuckDB file holding the values) is answered without one. The whole erasure on a brand is
test_forget.py; here the rebuild is a stand-in that records its calls."""

import json

import duckdb

from ingestion.landing.changes import clear_rebuild_requests
from ingestion.load.loader import ensure_raw_schema
from orchestration.forget import forget
from orchestration.settings import Settings

SALT = b"forget-rebuild-salt-0123456789abcdefXYZ"


def test_a_repeated_request_skips_the_rebuild_unless_pending_or_still_held(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("SIYU_QUALITY_DOCS", str(tmp_path / "docs"))
    settings = Settings(tmp_path / "landing", tmp_path / "warehouse.duckdb", SALT,
                        tmp_path / "published.duckdb")
    settings.landing_dir.mkdir()
    with duckdb.connect(str(settings.warehouse)) as con:
        ensure_raw_schema(con)
    duckdb.connect(str(settings.published)).close()
    calls = []

    def rebuild(_settings) -> int:  # succeeds, but leaves the request for the night to clear
        calls.append(1)
        return 0

    def ask(code=0) -> dict:
        assert forget(settings, [("unionid", "oForgetMe")], rebuild) == code
        reports = sorted((tmp_path / "forget_reports").glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        return json.loads(reports[-1].read_text())

    first = ask()  # a new suppression entry: rebuilt
    assert (len(calls), first["suppression_entries_added"], first["rebuild"]) == (1, 1, "succeeded")
    ask()  # nothing new, but the rebuild it asked for is still pending
    assert len(calls) == 2
    with duckdb.connect(str(settings.warehouse)) as con:
        clear_rebuild_requests(con)  # as a night that finishes does
    third = ask()
    assert len(calls) == 2 and third["rebuild"].startswith("not needed")
    with duckdb.connect(str(settings.published)) as con:  # a published copy older than the erasure
        con.execute("create schema marts; create table marts.t as select 'oForgetMe' as unionid")
    last = ask(code=1)  # rebuilt; the stand-in removed nothing, so it is still found: exit 1
    assert len(calls) == 3 and last["still_found"] == {"published": {"marts.t.unionid": 1}}
