"""The night imports pymc-marketing for CLV while it waits on the dbt step before it, and only in a run
that fits CLV."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dagster import AssetKey

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
