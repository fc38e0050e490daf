"""A night runs every dbt step with `--full-refresh` when asked (`siyu run --full-refresh`, or a rebuild
request left by `siyu forget`/`siyu retain`), and without it otherwise."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, DagsterInstance, materialize
from salt_support import SALT_A

import orchestration.pipeline as pipeline
from ingestion.landing.changes import record, request_rebuild
from orchestration.defs.dbt import FULL_REFRESH_TAG, dbt_args, siyu_dbt_models
from orchestration.defs.resources import SiyuDbtCli, Warehouse
from orchestration.settings import DBT_PROJECT_DIR

CALLS: list[list[str]] = []


class _Invocation:
    def stream(self):
        return iter(())

    def get_artifact(self, name):
        raise FileNotFoundError(name)


class RecordingDbt(SiyuDbtCli):
    """The night's dbt resource, recording each step's arguments instead of running dbt."""

    def cli(self, args, **kwargs):
        CALLS.append(list(args))
        return _Invocation()


def _dbt_step(tmp_path: Path, tags: dict[str, str]) -> list[str]:
    CALLS.clear()
    warehouse = Warehouse(path=str(tmp_path / "wh.duckdb"), landing_dir=str(tmp_path), phone_salt=SALT_A)
    result = materialize(
        [siyu_dbt_models],
        selection=[AssetKey(["staging", "stg_org__stores"])],
        resources={"dbt": RecordingDbt(project_dir=str(DBT_PROJECT_DIR), dbt_executable=sys.executable),
                   "warehouse": warehouse},
        instance=DagsterInstance.ephemeral(),
        tags=tags,
    )
    assert result.success and len(CALLS) == 1
    return CALLS[0]


def test_the_args_carry_full_refresh_only_when_asked():
    assert "--full-refresh" in dbt_args(full_refresh=True)
    assert "--full-refresh" not in dbt_args(full_refresh=False)
    assert dbt_args(True)[: len(dbt_args(False))] == dbt_args(False)  # the same build, one flag more


@pytest.mark.parametrize("tags, expected", [({FULL_REFRESH_TAG: "true"}, True), ({}, False)])
def test_a_dbt_step_passes_the_runs_tag_to_dbt(tmp_path, tags, expected):
    args = _dbt_step(tmp_path, tags)
    assert args[0] == "build"
    assert ("--full-refresh" in args) is expected


@pytest.fixture
def night(tmp_path, monkeypatch):
    """run_pipeline over a landing folder already built, recording whether _execute was asked for a
    full refresh instead of running the night."""
    landing = tmp_path / "landing"
    folder = landing / "org" / "store" / "2026-10-01"
    folder.mkdir(parents=True)
    (folder / "stores.csv").write_text("store_code\nS1\n")
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "p.duckdb"
    published.write_bytes(b"")
    settings = type("S", (), {"landing_dir": landing, "warehouse": warehouse, "published": published})()
    asked = []
    monkeypatch.setattr(pipeline, "parse_dbt_project", lambda: False)

    monkeypatch.setattr(pipeline, "_ahead", lambda *_: nullcontext())  # nothing begun: no night runs

    def executed(first, last, folders, instance, run_id):
        asked.append(pipeline.DBT_NIGHT.get().full_refresh)
        return True

    monkeypatch.setattr(pipeline, "_execute", executed)
    return settings, folder, asked


def test_run_pipeline_asks_for_a_full_refresh_when_told_or_after_a_rebuild_request(night):
    settings, folder, asked = night
    pipeline.run_pipeline(settings)  # new folder: a night, incremental
    pipeline.run_pipeline(settings, full_refresh=True)
    from ingestion.landing.changes import fingerprints

    with duckdb.connect(str(settings.warehouse)) as con:
        record(con, fingerprints(settings.landing_dir))
        request_rebuild(con, "forget")
    pipeline.run_pipeline(settings)  # nothing new, a rebuild asked for
    (folder / "stores.csv").write_text("store_code\nS1\nS2\n")
    pipeline.run_pipeline(settings)  # a changed folder, the request cleared by the night before
    assert asked == [False, True, True, False]
    assert pipeline.DBT_NIGHT.get() is None  # not left set after a night


@pytest.mark.parametrize("edited, expected", [(False, False), (True, True)])
def test_a_dbt_step_rebuilds_from_scratch_when_incremental_code_changed(tmp_path, edited, expected):
    """The warehouse last published with the project's code: an incremental night; with one model's
    recorded fingerprint different (an upgrade changed it): a full refresh."""
    import duckdb
    from dagster_dbt.dbt_manifest import read_manifest_path

    from orchestration.defs.dbt import DBT_PROJECT
    from orchestration.model_code import code_fingerprints, record

    prints = code_fingerprints(read_manifest_path(DBT_PROJECT.manifest_path))
    assert "stg_youzan__trades" in prints
    if edited:
        prints["stg_youzan__trades"] = "built by an older release"
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        record(con, prints)
    assert ("--full-refresh" in _dbt_step(tmp_path, {})) is expected


def test_a_dbt_step_rebuilds_from_scratch_after_a_rebuild_request_whoever_started_the_run(tmp_path):
    """`siyu retain --apply` deleted raw history: the schedule's next run (no tag) rebuilds too."""
    import duckdb
    from dagster_dbt.dbt_manifest import read_manifest_path

    from ingestion.landing.changes import request_rebuild
    from orchestration.defs.dbt import DBT_PROJECT
    from orchestration.model_code import code_fingerprints, record

    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        record(con, code_fingerprints(read_manifest_path(DBT_PROJECT.manifest_path)))
        request_rebuild(con, "retention applied")
    assert "--full-refresh" in _dbt_step(tmp_path, {})
