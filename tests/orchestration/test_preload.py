"""A night imports, while a dbt step waits on dbt's process, what a later step needs: GX for the raw checks,
pymc-marketing for CLV, each only in a run that has that step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from dagster import AssetCheckKey, AssetKey

from orchestration.defs.identity import clv_selected
from orchestration.preload import imports_ahead_of

ROOT = Path(__file__).resolve().parents[2]


def test_only_a_run_that_fits_clv_imports_for_it():
    assert clv_selected(None)  # a run of every asset
    assert clv_selected({AssetKey(["identity", "customers"]), AssetKey(["value", "clv_predictions"])})
    assert not clv_selected({AssetKey(["identity", "customers"]), AssetKey(["marts", "user_assets"])})


def test_the_background_import_leaves_fit_s_modules_imported(tmp_path):
    code = (
        "import sys\n"
        "from orchestration.preload import import_in_background\n"
        "from value.clv import FIT_MODULES\n"
        "before = [m in sys.modules for m in FIT_MODULES]\n"
        "thread = import_in_background(FIT_MODULES)\n"
        "thread.join(120)\n"
        "print(before, [m in sys.modules for m in FIT_MODULES], thread.daemon)\n"
    )
    script = tmp_path / "imports.py"  # a script: pyspark, when installed, exits under `python -c`
    script.write_text(code)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert out.stdout.split("\n")[0] == "[False, False, False] [True, True, True] True", out.stderr[-2000:]


def test_a_dbt_step_imports_ahead_gx_for_the_raw_checks_then_clv_for_the_fit():
    from orchestration.defs.dbt import imports_ahead
    from quality.validate import GX_MODULES
    from value.clv import FIT_MODULES

    receipts = AssetKey(["pos", "receipt"])  # validated with GX (it has a suite: quality.suites)
    orders = AssetKey(["youzan", "trade"])  # every rule enforced by the loader: no suite
    clv, mart = AssetKey(["value", "clv_predictions"]), AssetKey(["marts", "user_assets"])
    gx = {"great_expectations": object()}
    # the night (every asset and check): GX in the seeds' step, the fit's modules in the next one
    assert imports_ahead(None, None, loaded={}) == GX_MODULES
    assert imports_ahead(None, None, loaded=gx) == FIT_MODULES
    assert imports_ahead(None, None, loaded={**gx, FIT_MODULES[-1]: object()}) == ()
    # a landing asset with a suite, its checks with it (None), no CLV: GX only
    assert imports_ahead({receipts, mart}, None, loaded={}) == GX_MODULES
    assert imports_ahead({receipts, mart}, None, loaded=gx) == ()
    # a landing asset without a suite: its raw checks run, but none with GX
    assert imports_ahead({orders, mart}, None, loaded={}) == ()
    # the checks chosen without `contract` (no GX validation): straight to the fit's modules
    assert imports_ahead({receipts, clv}, {AssetCheckKey(receipts, "volume")}, loaded={}) == FIT_MODULES
    assert imports_ahead({receipts, clv}, {AssetCheckKey(receipts, "contract")}, loaded={}) == GX_MODULES
    # dbt models only: nothing a later step needs
    assert imports_ahead({mart}, set(), loaded={}) == ()


def _slow_package(root: Path, name: str, seconds: float) -> None:
    """A package whose import takes `seconds` and ends by setting DONE."""
    (root / name).mkdir()
    (root / name / "__init__.py").write_text(f"import time\ntime.sleep({seconds})\nDONE = True\n")


def test_a_step_ends_only_when_its_imports_ahead_have(tmp_path, monkeypatch):
    # a step's own import beside the thread can be handed a half-initialized module (preload.py), so
    # leaving the block waits for the import however long it takes
    monkeypatch.syspath_prepend(str(tmp_path))
    _slow_package(tmp_path, "siyu_slow_a", 0.5)
    warmed = []
    with imports_ahead_of(["siyu_slow_a"], then=lambda: warmed.append(True)) as thread:
        assert thread.is_alive()  # the block's body runs beside the import
    assert not thread.is_alive() and warmed == [True]
    module = sys.modules["siyu_slow_a"]
    assert module.DONE and not getattr(module.__spec__, "_initializing", False)


def test_a_failed_step_still_waits_for_its_imports_and_none_asked_starts_no_thread(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    _slow_package(tmp_path, "siyu_slow_b", 0.5)
    with pytest.raises(RuntimeError), imports_ahead_of(["siyu_slow_b"]) as thread:
        raise RuntimeError("the dbt step failed")
    assert not thread.is_alive() and sys.modules["siyu_slow_b"].DONE
    with imports_ahead_of([]) as nothing:
        assert nothing is None
