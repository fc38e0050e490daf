"""The incremental models' code fingerprints: a change to a model or to any macro it reaches makes
the next night a full refresh; nothing else does."""

import copy

import duckdb

from orchestration.model_code import changed_models, code_fingerprints, record


def _manifest():
    return {
        "nodes": {
            "model.siyu.stg_a": {
                "name": "stg_a", "resource_type": "model", "raw_code": "select 1",
                "config": {"materialized": "incremental"},
                "depends_on": {"macros": ["macro.siyu.touched_rows"]},
            },
            "model.siyu.stg_b": {
                "name": "stg_b", "resource_type": "model", "raw_code": "select 2",
                "config": {"materialized": "incremental"}, "depends_on": {"macros": []},
            },
            "model.siyu.int_c": {
                "name": "int_c", "resource_type": "model", "raw_code": "select 3",
                "config": {"materialized": "table"},
                "depends_on": {"macros": ["macro.siyu.touched_rows"]},
            },
        },
        "macros": {
            "macro.siyu.touched_rows": {
                "macro_sql": "{% macro touched_rows() %}x{% endmacro %}",
                "depends_on": {"macros": ["macro.siyu.landed_since_last_build"]},
            },
            "macro.siyu.landed_since_last_build": {
                "macro_sql": "{% macro landed_since_last_build() %}y{% endmacro %}",
                "depends_on": {"macros": []},
            },
        },
    }


def test_only_incremental_models_are_fingerprinted():
    assert set(code_fingerprints(_manifest())) == {"stg_a", "stg_b"}


def test_a_change_two_macros_deep_changes_the_model_that_reaches_it_only():
    before = code_fingerprints(_manifest())
    changed = _manifest()
    deep = changed["macros"]["macro.siyu.landed_since_last_build"]
    deep["macro_sql"] = "{% macro landed_since_last_build() %}z{% endmacro %}"
    after = code_fingerprints(changed)
    assert after["stg_a"] != before["stg_a"]
    assert after["stg_b"] == before["stg_b"]


def test_a_change_to_the_model_s_sql_changes_its_fingerprint():
    changed = copy.deepcopy(_manifest())
    changed["nodes"]["model.siyu.stg_b"]["raw_code"] = "select 2 as b"
    assert code_fingerprints(changed)["stg_b"] != code_fingerprints(_manifest())["stg_b"]


def test_nothing_recorded_means_every_model_changed_then_none_once_recorded():
    prints = code_fingerprints(_manifest())
    con = duckdb.connect()
    assert changed_models(con, prints) == ["stg_a", "stg_b"]
    record(con, prints)
    assert changed_models(con, prints) == []
    edited = dict(prints, stg_b="another")
    assert changed_models(con, edited) == ["stg_b"]
    record(con, edited)  # the record is replaced, not appended to
    assert con.execute("select count(*) from raw._incremental_code").fetchone()[0] == 2
