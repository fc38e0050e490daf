"""What a person watching a run reads, and what the published copy carries, judged on the small brand's
run (conftest.small_brand: no run of its own). Before: ~1,200 console lines, mostly dbt's."""

import json
import re

import duckdb
import pytest

from orchestration.settings import DBT_TARGET_DIR

pytestmark = pytest.mark.e2e
STEPS = ["landing", "raw checks", "dbt", "identity", "CLV", "guide lists", "publish"]
# what tests/orchestration/test_published_clients.py proves DuckDB 1.1.3 reads
OLD_CLIENT_TYPES = {"INTEGER", "BIGINT", "DECIMAL(18,2)", "DECIMAL(2,1)", "DOUBLE", "BOOLEAN", "VARCHAR",
                    "DATE", "TIMESTAMP WITH TIME ZONE"}


def test_the_console_shows_a_line_per_step_and_the_log_holds_every_line(small_brand):
    console, log = small_brand["console"], small_brand["log"]
    lines = console.splitlines()
    assert small_brand["ok"] and len(lines) <= 20, console
    assert lines[0] == f"every Dagster and dbt line of this run: {log}"
    steps = [re.match(r"\[ *[\d.]+s\] ([^:]+):", line).group(1) for line in lines[1:]]
    assert set(steps) == set(STEPS) and steps.count("dbt") == 4, console
    landing = next(line for line in lines if "] landing:" in line)
    assert re.search(r"landing: \d+ tables, \d+ table-days: [\d,]+ rows, [\d,]+ quarantined", landing)
    # a first night builds the seeds: nothing is begun ahead (test_incremental_nights: the later ones)
    assert "begun as the night started" not in console
    assert not re.search(r"START sql|subsetted|Running dbt command", console)
    text = log.read_text(encoding="utf-8")
    # dbt's node lines (re-printed by dagster-dbt), uncoloured, and Dagster's own events
    assert re.search(r"^\d+ of \d+ OK created sql table model marts\.user_assets ", text, re.M)
    assert "Completed successfully" in text and "\x1b[" not in text
    assert "STEP_SUCCESS" in text and "dbt subsetted execution" in text
    # the landing's progress
    progress = r"^\S+ INFO +landing .* - landing - \w+/\w+: \d+/\d+ days, [\d,]+ rows loaded$"
    assert re.search(progress, text, re.M)
    # the CLV fit ran in its worker while dbt built the marts (value/handoff.py); its file is gone
    assert re.search(r"^\S+ INFO +clv_predictions .* clv: fitted in a worker process while dbt", text, re.M)
    assert not list(small_brand["root"].glob("*.clv-handoff.parquet"))


def test_every_published_column_carries_its_dbt_description(small_brand):
    # the manifest the small brand's run parsed (importing the dbt definitions at collection time would
    # need a manifest before any run wrote one: a fresh clone has none)
    manifest = json.loads((DBT_TARGET_DIR / "manifest.json").read_text(encoding="utf-8"))
    expected = {}
    for node in [*manifest["nodes"].values(), *manifest["sources"].values()]:
        if node["resource_type"] in ("model", "source") and node.get("schema") == "marts":
            table = node.get("alias") or node.get("identifier") or node["name"]
            expected[table] = node["description"].strip()
            expected |= {(table, c): v["description"].strip() for c, v in node["columns"].items()}
    with duckdb.connect(str(small_brand["settings"].published), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name, comment, data_type from duckdb_columns() "
            "where schema_name = 'marts'"
        ).fetchall()
        tables = con.execute("select table_name, comment from duckdb_tables() where schema_name = 'marts'")
        tables = tables.fetchall()
    assert len(tables) >= 20 and len(columns) > 200
    for table, comment in tables:
        assert comment and comment == expected[table], table
    for table, column, comment, _ in columns:
        assert comment and comment == expected[(table, column)], (table, column)
    assert {t for *_, t in columns} <= OLD_CLIENT_TYPES
    # DuckDB's file header: b"DUCK" then the storage version, 64 for v1.1.0 (2.0's own format is 999)
    header = small_brand["settings"].published.read_bytes()[:20]
    assert header[8:12] == b"DUCK" and int.from_bytes(header[12:20], "little") == 64