"""`siyu run` on a landing folder with nothing to load says what is wrong with it, and writes nothing.

Each case is a mistake seen when pointing Siyu at real exports: the folder is not there, it is one
level too high or too low, a source or entity is misspelt, days are named 20261001.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.landing.layout import why_unloadable
from orchestration.cli import main


def land(root: Path, *files: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{"tid": "1"}\n')
    return root


CASES = [
    # (files under the landing root, a line the message must hold)
    ((), "the folder is empty"),
    (("trade.jsonl",), "`trade.jsonl` lies directly in the landing folder"),
    (("yuozan/trade/2026-10-01/a.jsonl",), "unknown source `yuozan`: did you mean `youzan`?"),
    (("YouZan/trade/2026-10-01/a.jsonl",), "unknown source `YouZan`: did you mean `youzan`?"),
    (("有赞/trade/2026-10-01/a.jsonl",), "unknown source `有赞`; known: ads, douyin, fission, leads, mp,"),
    (("youzan/trades/2026-10-01/a.jsonl",), "unknown entity `youzan/trades`: did you mean `youzan/trade`?"),
    (("wecom/external_contacts/2026-10-01/a.jsonl",),
     "unknown entity `wecom/external_contacts`: did you mean `wecom/external_contact`?"),
    (("youzan/trade/20261001/a.jsonl", "youzan/trade/20261002/a.jsonl"),
     "`youzan/trade/`: 2 day folders not named YYYY-MM-DD, e.g. `20261001` (`2026-10-01`?)"),
    (("youzan/trade/2026_10_1/a.jsonl",), "e.g. `2026_10_1` (`2026-10-01`?)"),
    (("youzan/trade/2026-13-01/a.jsonl",), "1 day folder not named YYYY-MM-DD, e.g. `2026-13-01`\n"),
    (("youzan/trade/a.jsonl",), "`youzan/trade/` holds 1 file outside day folders: move them into "
     "youzan/trade/<YYYY-MM-DD>/"),
    (("youzan/trade/2026-10-01/.DS_Store",), "`youzan/trade/` has no day folder holding a file"),
    (("youzan/a.jsonl",), "`youzan/a.jsonl` is not inside an entity folder"),
    (("pos/.keep",), "`pos/` has no entity folders (member, receipt)"),
]


@pytest.mark.parametrize(("files", "expected"), CASES, ids=[c[1][:40] for c in CASES])
def test_each_unusable_landing_gets_its_reason(tmp_path, files, expected):
    message = why_unloadable(land(tmp_path / "landing", *files)) + "\n"
    assert message.startswith(f"nothing to load under {tmp_path / 'landing'}: expected <source>/<entity>/")
    assert expected in message


def test_landing_root_one_level_off(tmp_path):
    right = land(tmp_path / "brand", "landing/youzan/trade/2026-10-01/a.jsonl") / "landing"
    above = why_unloadable(tmp_path / "brand")
    assert f"`landing/` holds source folders: set SIYU_LANDING_DIR to {right}" in above
    at_source = why_unloadable(right / "youzan")
    assert f"is the `youzan` source folder: set SIYU_LANDING_DIR to {right}" in at_source
    at_entity = why_unloadable(right / "youzan" / "trade")
    assert f"it is an entity folder: set SIYU_LANDING_DIR to the folder holding <source>/, probably {right}" \
        in at_entity


def test_a_missing_folder_is_named(tmp_path):
    missing = tmp_path / "nope"
    assert why_unloadable(missing) == f"landing folder {missing} does not exist (SIYU_LANDING_DIR)"


def test_one_loadable_day_is_enough(tmp_path):
    """Stray folders beside loadable data are quarantined file by file, not a reason to refuse."""
    land(tmp_path, "youzan/trade/2026-10-01/a.jsonl", "yuozan/trade/2026-10-01/a.jsonl",
         "youzan/refund/20261001/a.jsonl")
    assert why_unloadable(tmp_path) is None


def test_many_problems_are_cut_short(tmp_path):
    land(tmp_path, *(f"source{i}/x/2026-10-01/a.jsonl" for i in range(11)))
    lines = why_unloadable(tmp_path, shown=8).splitlines()
    assert len(lines) == 1 + 8 + 1
    assert lines[-1] == "  - … and 3 more"


@pytest.fixture
def run_env(monkeypatch, tmp_path):
    """Settings for `siyu run` under tmp_path; the pipeline must not be reached."""
    import orchestration.pipeline

    monkeypatch.setenv("SIYU_PHONE_SALT", "s")
    monkeypatch.setenv("SIYU_WAREHOUSE", str(tmp_path / "out" / "wh.duckdb"))
    monkeypatch.delenv("SIYU_PUBLISHED", raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))

    def reached(*args, **kwargs):
        raise AssertionError("the pipeline ran")

    monkeypatch.setattr(orchestration.pipeline, "run_pipeline", reached)
    return tmp_path


@pytest.mark.parametrize(("files", "expected"), [CASES[2], CASES[7]], ids=["source", "days"])
def test_run_refuses_and_writes_nothing(run_env, monkeypatch, capsys, files, expected):
    landing = land(run_env / "landing", *files)
    before = sorted(p.relative_to(run_env) for p in run_env.rglob("*"))
    monkeypatch.setenv("SIYU_LANDING_DIR", str(landing))
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"siyu: nothing to load under {landing}")
    assert expected in err
    assert err.rstrip().endswith("The landing layout and every source's files: docs/sources.md")
    # no warehouse, no DAGSTER_HOME
    assert sorted(p.relative_to(run_env) for p in run_env.rglob("*")) == before


def test_run_names_a_missing_landing_folder(run_env, monkeypatch, capsys):
    monkeypatch.setenv("SIYU_LANDING_DIR", str(run_env / "landing"))
    assert main(["run"]) == 2
    assert f"landing folder {run_env / 'landing'} does not exist" in capsys.readouterr().err
    assert not (run_env / "out").exists() and not (run_env / "dagster").exists()


def test_an_unreadable_folder_is_named(tmp_path, monkeypatch):
    land(tmp_path, "youzan/trade/2026-10-01/a.jsonl")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", denied)
    assert why_unloadable(tmp_path) == (
        f"cannot read the landing folder: Permission denied ({tmp_path}); fix its permissions"
    )
