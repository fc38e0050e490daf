"""What a BI client meets when it opens the published copy: an older DuckDB, SQLAlchemy inspection,
dbt's descriptions as comments, a file name, a connection held across the nightly swap.

The old client is a real one: DuckDB 1.1.3 with duckdb-engine 0.17 and SQLAlchemy 2.0.44, in its
own virtualenv under var/clients/ (built once, ~15 s, then reused; skipped when PyPI is unreachable).
"""

import json
import subprocess
import sys

import duckdb
import pytest

from orchestration.publish import dbt_descriptions, publish
from orchestration.settings import VAR_DIR, ConfigError, Settings, published_storage_version

SALT = b"published-clients-test-salt"
OLD_CLIENT = ["duckdb==1.1.3", "duckdb-engine==0.17.0", "sqlalchemy==2.0.44", "pytz"]  # pytz: TIMESTAMPTZ
# Every type the marts publish (tests/e2e/test_published_copy.py holds them to this list)
MART_TYPES = {
    "n": ("integer", "42"),
    "big": ("bigint", "9007199254740993"),
    "amount": ("decimal(18,2)", "1234.56"),
    "score": ("decimal(2,1)", "4.5"),
    "share": ("double", "0.25"),
    "flag": ("boolean", "true"),
    "label": ("varchar", "'新客 new'"),
    "day": ("date", "date '2026-10-31'"),
    "at": ("timestamptz", "timestamptz '2026-10-31 23:59:59+08'"),
}


@pytest.fixture(scope="module")
def old_client():
    """The python of a virtualenv holding DuckDB 1.1.3 (what BI tools a year old bundle)."""
    venv = VAR_DIR / "clients" / "duckdb-1.1.3"
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import duckdb, duckdb_engine, sqlalchemy, pytz; print(duckdb.__version__)"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *OLD_CLIENT], check=True,
                       capture_output=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"cannot build a virtualenv with {', '.join(OLD_CLIENT)} (PyPI unreachable?): {exc}")
    return python


def _run(python, code: str) -> dict:
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.fixture
def published(tmp_path):
    """A warehouse with one mart of every published type, published with its dbt descriptions."""
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema marts")
    columns = ", ".join(f"{value}::{kind} as {name}" for name, (kind, value) in MART_TYPES.items())
    con.execute(f"create table marts.kpis as select {columns}")
    notes = {n: f"the {n} (中文 '{n}')" for n in MART_TYPES}
    described = {"kpis": ("Daily KPIs. Grain: one row per day.", notes)}
    target = tmp_path / "warehouse.published.duckdb"
    publish(con, target, secret=SALT, descriptions=described)
    con.close()
    return target, described


def test_duckdb_1_1_reads_every_type_and_comment(published, old_client):
    target, described = published
    seen = _run(old_client, f"""
import duckdb, json
con = duckdb.connect({str(target)!r}, read_only=True)
row = con.execute("select * from marts.kpis").fetchone()
where = "where table_name = 'kpis'"
comments = dict(con.execute(f"select column_name, comment from duckdb_columns() {{where}}").fetchall())
table = con.execute(f"select comment from duckdb_tables() {{where}}").fetchone()[0]
row = [str(v) for v in row]
print(json.dumps({{"version": duckdb.__version__, "row": row, "comments": comments, "table": table}}))
""")
    assert seen["version"] == "1.1.3"
    assert seen["row"][:7] == ["42", "9007199254740993", "1234.56", "4.5", "0.25", "True", "新客 new"]
    assert seen["row"][7] == "2026-10-31" and seen["row"][8].startswith("2026-10-31")
    assert seen["comments"] == described["kpis"][1]
    assert seen["table"] == described["kpis"][0]


def test_a_copy_in_duckdb_2_storage_is_refused_by_1_1(tmp_path, old_client):
    """The reason for the setting: a copy in DuckDB 2.0's own format fails in every 1.x client."""
    if duckdb.__version__.startswith("1."):
        pytest.skip("this DuckDB writes a format 1.1 reads anyway")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema marts")
    con.execute("create table marts.t as select 1 as n")
    publish(con, tmp_path / "new.duckdb", secret=SALT, storage_version="latest")
    code = "import duckdb, json; duckdb.connect({!r}, read_only=True); print('{{}}')"
    refused = subprocess.run([str(old_client), "-c", code.format(str(tmp_path / "new.duckdb"))],
                             capture_output=True, text=True)
    assert refused.returncode != 0 and "version number" in refused.stderr


def test_sqlalchemy_inspection_sees_tables_columns_and_comments(published, old_client):
    """duckdb-engine 0.17 with SQLAlchemy 2.0.44: what Superset-style tools call to list columns.
    (SQLAlchemy >= 2.0.45 fails on pg_catalog.pg_collation: README, "How BI tools connect".)"""
    target, described = published
    seen = _run(old_client, f"""
import json, sqlalchemy as sa
engine = sa.create_engine("duckdb:///{target}", connect_args={{"read_only": True}})
inspector = sa.inspect(engine)
columns = {{c["name"]: c["comment"] for c in inspector.get_columns("kpis", schema="marts")}}
print(json.dumps({{"tables": inspector.get_table_names(schema="marts"), "columns": columns,
                   "table": inspector.get_table_comment("kpis", schema="marts")["text"]}}))
""")
    assert seen == {"tables": ["kpis"], "columns": described["kpis"][1], "table": described["kpis"][0]}


def test_dbt_descriptions_read_models_and_sources_of_the_schema(tmp_path):
    manifest = {
        "nodes": {
            "model.siyu.user_assets": {"resource_type": "model", "schema": "marts", "name": "user_assets",
                                       "alias": "user_assets", "description": " 用户资产表 ",
                                       "columns": {"customer_id": {"description": "the customer"}}},
            "model.siyu.stg_x": {"resource_type": "model", "schema": "staging", "name": "stg_x",
                                 "description": "not published", "columns": {}},
            "test.siyu.t": {"resource_type": "test", "schema": "marts", "name": "t", "columns": {}},
        },
        "sources": {
            "source.siyu.marts.clv": {"resource_type": "source", "schema": "marts", "name": "clv",
                                      "identifier": "clv_predictions", "description": "CLV",
                                      "columns": {"p_alive": {"description": ""}}},
        },
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    assert dbt_descriptions(path) == {
        "user_assets": ("用户资产表", {"customer_id": "the customer"}),
        "clv_predictions": ("CLV", {"p_alive": ""}),
    }


def test_storage_version_setting(monkeypatch):
    monkeypatch.delenv("SIYU_PUBLISHED_STORAGE_VERSION", raising=False)
    assert published_storage_version() == "v1.1.0"
    monkeypatch.setenv("SIYU_PUBLISHED_STORAGE_VERSION", "v1.4.0")
    assert published_storage_version() == "v1.4.0"
    monkeypatch.setenv("SIYU_PUBLISHED_STORAGE_VERSION", "1.1")
    with pytest.raises(ConfigError, match="SIYU_PUBLISHED_STORAGE_VERSION=1.1: not a storage version"):
        published_storage_version()


def test_a_published_file_named_after_a_schema_is_refused(monkeypatch, tmp_path):
    """DuckDB names a database after its file: in `marts.duckdb`, `marts.user_assets` is ambiguous
    (Superset: "Ambiguous reference to catalog or schema"), so such a SIYU_PUBLISHED is refused."""
    with duckdb.connect(str(tmp_path / "marts.duckdb")) as con:
        con.execute("create schema marts")
        con.execute("create table marts.marts.user_assets as select 1 as n")
        with pytest.raises(duckdb.BinderException, match="(?i)ambiguous"):
            con.execute("select * from marts.user_assets")
    monkeypatch.setenv("SIYU_PHONE_SALT", "x")
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "brand.duckdb"))
    monkeypatch.setenv("SIYU_PUBLISHED", str(tmp_path / "bi" / "marts.duckdb"))
    with pytest.raises(ConfigError, match="SIYU_PUBLISHED=.*marts.duckdb: a DuckDB file named after"):
        Settings.from_env(require_salt=False)
    monkeypatch.setenv("SIYU_PUBLISHED", str(tmp_path / "bi" / "brand_marts.duckdb"))
    assert Settings.from_env(require_salt=False).published.name == "brand_marts.duckdb"


def _night_in_another_process(path) -> int:
    query = "select night from marts.daily_kpis"
    code = f"import duckdb; con = duckdb.connect({str(path)!r}, read_only=True)\n"
    code += f"print(con.execute({query!r}).fetchone()[0])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-1500:]
    return int(done.stdout)


def test_a_held_connection_sees_the_old_marts_until_every_connection_closes(tmp_path):
    """The nightly swap replaces the file (os.replace): a connection opened before keeps reading the
    old one. Another process sees tonight's marts at once; in the same process DuckDB shares one
    database instance per path, so a new connection sees tonight's only once every connection to the
    old file is closed (README: close connections after each query, or a short pool lifetime)."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema marts")
    con.execute("create table marts.daily_kpis as select 1 as night")
    target = tmp_path / "published.duckdb"
    publish(con, target, secret=SALT)
    held = duckdb.connect(str(target), read_only=True)
    assert held.execute("select night from marts.daily_kpis").fetchall() == [(1,)]
    con.execute("create or replace table marts.daily_kpis as select 2 as night")
    publish(con, target, secret=SALT)
    assert held.execute("select night from marts.daily_kpis").fetchall() == [(1,)]
    assert _night_in_another_process(target) == 2
    with duckdb.connect(str(target), read_only=True) as also_held:  # the same instance as `held`
        assert also_held.execute("select night from marts.daily_kpis").fetchall() == [(1,)]
    held.close()
    with duckdb.connect(str(target), read_only=True) as fresh:
        assert fresh.execute("select night from marts.daily_kpis").fetchall() == [(2,)]
