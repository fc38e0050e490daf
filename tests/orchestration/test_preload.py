"""A night imports, while a dbt step waits on dbt's process, what a later step needs: GX for the raw checks,
pymc-marketing for CLV, each only in a run that has that step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dagster import AssetCheckKey, AssetKey

from orchestration.defs.identity import clv_selected

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

    oa_users = AssetKey(["oa", "user"])  # validated with GX (it has a suite: quality.suites)
    orders = AssetKey(["youzan", "trade"])  # every rule enforced by the loader: no suite
    clv, mart = AssetKey(["value", "clv_predictions"]), AssetKey(["marts", "user_assets"])
    gx = {"great_expectations": object()}
    # the night (every asset and check): GX in the seeds' step, the fit's modules in the next one
    assert imports_ahead(None, None, loaded={}) == GX_MODULES
    assert imports_ahead(None, None, loaded=gx) == FIT_MODULES
    assert imports_ahead(None, None, loaded={**gx, FIT_MODULES[-1]: object()}) == ()
    # a landing asset with a suite, its checks with it (None), no CLV: GX only
    assert imports_ahead({oa_users, mart}, None, loaded={}) == GX_MODULES
    assert imports_ahead({oa_users, mart}, None, loaded=gx) == ()
    # a landing asset without a suite: its raw checks run, but none with GX
    assert imports_ahead({orders, mart}, None, loaded={}) == ()
    # the checks chosen without `contract` (no GX validation): straight to the fit's modules
    assert imports_ahead({oa_users, clv}, {AssetCheckKey(oa_users, "volume")}, loaded={}) == FIT_MODULES
    assert imports_ahead({oa_users, clv}, {AssetCheckKey(oa_users, "contract")}, loaded={}) == GX_MODULES
    # dbt models only: nothing a later step needs
    assert imports_ahead({mart}, set(), loaded={}) == ()
