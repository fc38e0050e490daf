"""A night that stopped still tells the dashboard why: the published copy's `quality` schema is
replaced from the warehouse's latest checks while its marts stay the last published night's, byte for
byte in content; an older DuckDB still opens the refreshed copy."""

from __future__ import annotations

import duckdb
from test_published_clients import _run, old_client  # noqa: F401  (a fixture)

from ingestion.write.rawdb import QUARANTINE_COLUMNS
from orchestration.publish import publish
from orchestration.publish_quality import refresh_published_quality
from orchestration.run_cmd import quality_of_a_stopped_night
from orchestration.settings import Settings
from quality.results import COLUMNS as RESULT_COLUMNS

SALT = b"published-quality-test-salt-0123456789"
INSERT_RESULT = f"insert into quality.validation_results values ({', '.join('?' * len(RESULT_COLUMNS))})"


def _result(run_id: str, at: str, check: str, blocking: bool, success: bool) -> tuple:
    return (run_id, at, "youzan", "trade", "2026-10-31", "2026-10-31", check, "rule", None,
            "critical" if blocking else "warning", blocking, success, None, ["2026-10-31"] if not success
            else [], "{}")


def _warehouse(path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("create schema marts; create schema raw; create schema quality")
    con.execute("create table marts.kpis as select 42 as n, 'x' as label")
    tables = (("raw._quarantine", QUARANTINE_COLUMNS), ("quality.validation_results", RESULT_COLUMNS))
    for table, columns in tables:
        con.execute(f"create table {table} ({', '.join(f'{n} {t}' for n, t in columns)})")
    con.execute("insert into raw._quarantine values ('youzan', 'trade', '2026-10-30', 'a.json', 3, "
                "'unknown_enum_value', 'status: x', '{}', now())")
    con.execute(INSERT_RESULT, _result("night1", "2026-10-31 02:00+08", "volume", True, True))
    return con


def _marts(path) -> list:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select * from marts.kpis").fetchall()


def _quality(path) -> tuple:
    with duckdb.connect(str(path), read_only=True) as con:
        checks = con.execute("select run_id, check_name, status, blocking_failures "
                             "from quality.check_summary order by all").fetchall()
        quarantined = con.execute("select business_date::varchar, quarantined_rows "
                                  "from quality.quarantine_summary order by all").fetchall()
    return checks, quarantined


def test_a_stopped_night_replaces_the_quality_summary_and_nothing_else(tmp_path, old_client):  # noqa: F811
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "warehouse.published.duckdb"
    con = _warehouse(warehouse)
    publish(con, published, secret=SALT)
    assert _quality(published) == ([("night1", "volume", "passed", 0)], [("2026-10-30", 1)])
    marts = _marts(published)
    # tonight: one more quarantined row, and the volume check failed, blocking (nothing published)
    con.execute("insert into raw._quarantine values ('youzan', 'trade', '2026-10-31', 'b.json', 9, "
                "'unknown_enum_value', 'status: y', '{}', now())")
    con.execute(INSERT_RESULT, _result("night2", "2026-11-01 02:00+08", "volume", True, False))
    con.execute("update marts.kpis set n = 43")  # the warehouse moved on; the copy must not follow
    con.close()
    refresh_published_quality(warehouse, published)
    tonight = [("night2", "volume", "failed", 1)], [("2026-10-30", 1), ("2026-10-31", 1)]
    assert _quality(published) == tonight
    assert _marts(published) == marts == [(42, "x")]
    assert not published.with_name(published.name + ".tmp").exists()
    seen = _run(old_client, f"""
import duckdb, json
con = duckdb.connect({str(published)!r}, read_only=True)
print(json.dumps([con.execute("select status from quality.check_summary").fetchall(),
                  con.execute("select n from marts.kpis").fetchall()]))""")
    assert seen == [[["failed"]], [[42]]]


def test_nothing_published_yet_nothing_written(tmp_path):
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "warehouse.published.duckdb"
    _warehouse(warehouse).close()
    assert refresh_published_quality(warehouse, published) is None
    assert not published.exists()


def test_siyu_run_says_so_when_the_summary_cannot_be_refreshed(tmp_path, capsys):
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "warehouse.published.duckdb"
    con = _warehouse(warehouse)
    publish(con, published, secret=SALT)
    before = _quality(published)
    settings = Settings(tmp_path / "landing", warehouse, SALT, published)
    quality_of_a_stopped_night(settings)  # the writer still holds the warehouse: it cannot be read
    assert "quality summary was not refreshed" in capsys.readouterr().err
    assert _quality(published) == before
    con.close()
