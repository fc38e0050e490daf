"""`siyu run` rebuilds the seeds (and the models read from seeds alone) only when a seed, the project
or the tables changed, or a full refresh is asked; the rest of the night runs as before."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date

import duckdb
import pytest
from dagster import AssetKey, DagsterInstance, JobDefinition

import orchestration.pipeline as pipeline
from orchestration import seeds
from orchestration.dbtparse import project_state

MANIFEST = {
    "nodes": {
        "seed.p.rules": {"resource_type": "seed", "schema": "seeds", "alias": "rules", "name": "rules"},
        "seed.p.aliases": {"resource_type": "seed", "schema": "seeds", "alias": "aliases", "name": "aliases"},
        "model.p.int_steps": {"resource_type": "model", "schema": "intermediate", "alias": "int_steps"},
        "model.p.int_steps_named": {"resource_type": "model", "schema": "intermediate",
                                    "alias": "int_steps_named"},
        "model.p.stg_orders": {"resource_type": "model", "schema": "staging", "alias": "stg_orders"},
        "model.p.int_tagged": {"resource_type": "model", "schema": "intermediate", "alias": "int_tagged"},
        "test.p.not_null_rules_id": {"resource_type": "test"},
    },
    "parent_map": {
        "seed.p.rules": [], "seed.p.aliases": [],
        "model.p.int_steps": ["seed.p.rules"],
        "model.p.int_steps_named": ["model.p.int_steps", "seed.p.aliases"],
        "model.p.stg_orders": ["source.p.shop.orders"],
        "model.p.int_tagged": ["model.p.stg_orders", "seed.p.rules"],
        "test.p.not_null_rules_id": ["seed.p.rules"],
    },
}


def test_seed_only_nodes_are_the_seeds_and_what_reads_nothing_else():
    assert seeds.seed_only_nodes(MANIFEST) == [
        "model.p.int_steps", "model.p.int_steps_named", "seed.p.aliases", "seed.p.rules"
    ]


@pytest.fixture
def warehouse(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    for schema in ("seeds", "intermediate"):
        con.execute(f"create schema {schema}")
    con.execute("create table seeds.rules as select * from (values (1, 'a'), (2, 'b')) t(id, label)")
    con.execute("create table seeds.aliases as select 'x' as alias")
    con.execute("create table intermediate.int_steps as select 1 as step")
    con.execute("create table intermediate.int_steps_named as select 1 as step, 'x' as name")
    yield con
    con.close()


def test_the_state_follows_the_project_and_each_tables_rows(warehouse):
    before = seeds.state(warehouse, MANIFEST, project="p1")
    assert seeds.state(warehouse, MANIFEST, project="p1") == before
    assert seeds.state(warehouse, MANIFEST, project="p2") != before  # a seed's CSV, a model, dbt…
    warehouse.execute("update seeds.rules set label = 'B' where id = 2")
    edited = seeds.state(warehouse, MANIFEST, project="p1")
    assert edited != before
    warehouse.execute("update seeds.rules set label = 'b' where id = 2")
    assert seeds.state(warehouse, MANIFEST, project="p1") == before  # the rows, not their history
    warehouse.execute("insert into seeds.rules values (2, 'b')")  # a duplicate row counts
    assert seeds.state(warehouse, MANIFEST, project="p1") != before
    warehouse.execute("drop table intermediate.int_steps_named")
    assert "missing" in seeds._table_digest(warehouse, "intermediate", "int_steps_named")


def test_nothing_is_recorded_until_a_night_records_it(warehouse):
    assert seeds.built_state(warehouse) is None
    seeds.record_built(warehouse, MANIFEST)
    seeds.record_built(warehouse, MANIFEST)
    assert seeds.built_state(warehouse) == seeds.state(warehouse, MANIFEST)
    assert warehouse.execute(f"select count(*) from {seeds.TABLE}").fetchone()[0] == 1


@pytest.fixture
def nights(tmp_path, monkeypatch):
    """run_pipeline over a landing folder and a one-seed dbt project in tmp_path; _execute records
    whether tonight builds the seeds instead of running."""
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    (project / "seeds" / "rules.csv").write_text("id,label\n1,a\n")
    monkeypatch.setattr(seeds, "project_state", lambda: project_state(project))
    monkeypatch.setattr(pipeline, "_manifest", lambda: MANIFEST)
    landing = tmp_path / "landing" / "org" / "store"
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "p.duckdb"
    published.write_bytes(b"")
    settings = type("S", (), {"landing_dir": tmp_path / "landing", "warehouse": warehouse,
                              "published": published})()
    asked = []
    monkeypatch.setattr(pipeline, "parse_dbt_project", lambda: False)
    monkeypatch.setattr(pipeline, "_ahead", lambda *_: nullcontext())  # nothing begun: no night runs
    monkeypatch.setattr(pipeline, "_execute", lambda *a: asked.append(pipeline.DBT_NIGHT.get().seeds) or True)

    def night(day: int, **kwargs):
        folder = landing / f"2026-10-0{day}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "stores.csv").write_text(f"store_code\nS{day}\n")
        pipeline.run_pipeline(settings, **kwargs)
        return asked[-1]

    return night, project, warehouse


def test_a_night_builds_the_seeds_only_when_something_they_come_from_changed(nights):
    night, project, warehouse = nights
    assert night(1) is True  # nothing recorded yet: built, then recorded
    assert night(2) is False  # nothing changed
    (project / "seeds" / "rules.csv").write_text("id,label\n1,a\n2,b\n")  # a brand edits a seed
    assert night(3) is True
    assert night(4) is False
    assert night(5, full_refresh=True) is True
    with duckdb.connect(str(warehouse)) as con:  # someone edits a seed's table by hand
        con.execute("create schema seeds")
        con.execute("create table seeds.rules as select 1 as id")
    assert night(6) is True
    assert night(7) is False


def test_a_night_without_the_seeds_leaves_out_exactly_the_seed_only_assets(monkeypatch):
    from orchestration.defs.dbt import siyu_dbt_models

    project = pipeline._manifest()  # the project's own (tests/conftest.py parsed it)
    selections = []

    def executed(job, **kwargs):
        selections.append(set(kwargs["asset_selection"]))
        return type("R", (), {"success": True})()

    monkeypatch.setattr(JobDefinition, "execute_in_process", executed)
    for built in (True, False):
        token = pipeline.DBT_NIGHT.set(pipeline.DbtNight(seeds=built))
        try:
            assert pipeline._execute(date(2026, 10, 1), date(2026, 10, 2), [], DagsterInstance.ephemeral())
        finally:
            pipeline.DBT_NIGHT.reset(token)
    everything, without = selections
    left_out = everything - without
    assert {k.path[0] for k in left_out} == {"seeds", "intermediate"}
    assert AssetKey(["seeds", "care_moments"]) in left_out
    assert AssetKey(["intermediate", "int_funnel__steps"]) in left_out
    assert len(left_out) == len(seeds.seed_only_nodes(project))
    assert without >= {k for k in siyu_dbt_models.keys if k.path[0] == "marts"}
