"""The project's table and view materializations on DuckDB (macros/engine/lean_materializations.sql),
in a project of their own: a model that fails leaves its relation as it was, a relation changing
kind is replaced, an enforced contract still refuses other columns, and hooks run."""

import shutil
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner
from dbt_support import DBT_DIR

PROJECT = """name: lean
version: "1.0"
config-version: 2
profile: lean
macro-paths: ["macros"]
models:
  lean:
    +materialized: table
"""
PROFILES = """lean:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{path}"
      threads: 2
"""
CONTRACT = """version: 2
models:
  - name: m
    config:
      contract: {enforced: true}
    columns:
      - name: id
        data_type: integer
      - name: label
        data_type: varchar
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "lean"
    (root / "models").mkdir(parents=True)
    (root / "macros").mkdir()
    shutil.copy(DBT_DIR / "macros" / "engine" / "lean_materializations.sql", root / "macros")
    (root / "dbt_project.yml").write_text(PROJECT)
    (root / "profiles.yml").write_text(PROFILES.format(path=tmp_path / "w.duckdb"))
    (root / "models" / "m.yml").write_text(CONTRACT)
    return root


def write(project: Path, name: str, sql: str) -> None:
    (project / "models" / f"{name}.sql").write_text(sql)


def run(project: Path, *select: str) -> dict[str, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DO_NOT_TRACK", "1")
        mp.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        result = dbtRunner().invoke([
            "run", "--project-dir", str(project), "--profiles-dir", str(project),
            "--target-path", str(project / "target"), "--log-path", str(project / "logs"),
            *(["--select", *select] if select else []),
        ])
    return {r.node.name: str(r.status) for r in result.result}


def rows(project: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(project.parent / "w.duckdb")) as con:
        return con.execute(sql).fetchall()


def kind(project: Path, name: str) -> str:
    query = f"select table_type from information_schema.tables where table_name = '{name}'"
    return rows(project, query)[0][0]


def test_a_failing_model_keeps_its_relation_and_a_changed_kind_is_replaced(project):
    write(project, "t", "select 1 as id, 'first' as label")
    write(project, "v", "{{ config(materialized='view') }} select * from {{ ref('t') }}")
    write(project, "m", "select 1::integer as id, 'first'::varchar as label")
    assert run(project) == {"t": "success", "v": "success", "m": "success"}
    assert rows(project, "select * from main.v") == [(1, "first")]
    assert kind(project, "t") == "BASE TABLE" and kind(project, "v") == "VIEW"

    write(project, "t", "select 2 as id, no_such_column as label")  # fails as the table is rebuilt
    write(project, "v", "{{ config(materialized='view') }} select no_such_column")  # not waiting for t
    write(project, "m", "select 2::integer as id, 2.5::double as label")  # breaks the contract
    assert run(project) == {"t": "error", "v": "error", "m": "error"}
    assert rows(project, "select * from main.t") == [(1, "first")]
    assert rows(project, "select * from main.v") == [(1, "first")]
    assert rows(project, "select * from main.m") == [(1, "first")]

    write(project, "t", "select 3 as id, 'third' as label")
    write(project, "v", "select id * 10 as id from {{ ref('t') }}")  # a view becomes a table
    write(project, "m", "select 3::integer as id, 'third'::varchar as label")
    assert run(project) == {"t": "success", "v": "success", "m": "success"}
    assert rows(project, "select * from main.v") == [(30,)] and kind(project, "v") == "BASE TABLE"
    assert rows(project, "select * from main.m") == [(3, "third")]
    assert [r[1] for r in rows(project, "pragma table_info('main.m')")] == ["id", "label"]

    write(project, "v", "{{ config(materialized='view') }} select id from {{ ref('t') }}")  # and back
    assert run(project, "v") == {"v": "success"}
    assert kind(project, "v") == "VIEW" and rows(project, "select * from main.v") == [(3,)]


def test_hooks_run_in_their_order_around_the_build(project):
    write(project, "log", "select 'none' as step where false")
    assert run(project, "log") == {"log": "success"}
    write(project, "h", """{{ config(
        pre_hook=["insert into main.log values ('pre')"],
        post_hook=["insert into main.log select 'post ' || count(*) from {{ this }}"]) }}
        select 1 as id union all select 2""")
    assert run(project, "h") == {"h": "success"}
    assert rows(project, "select step from main.log") == [("pre",), ("post 2",)]
    assert rows(project, "select count(*) from main.h") == [(2,)]
