"""Time and peak memory of the CLV fit (BG/NBD + Gamma-Gamma, pymc-marketing MAP) for N customers.

    python bench/clv_fit.py [--customers 10000 100000]

For each N: draws two years of purchases of N customers from the known process (value/simulate.py),
summarises them, then in a fresh process imports pymc-marketing, fits twice and predicts. The first
fit of a data shape compiles C code for it (PyTensor caches it in ~/.pytensor, so the nightly run pays
this once per new customer count); the second shows the cached cost. Prints import time, both fit
times, prediction time, resident memory after import and at peak (VmHWM).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
END = date(2026, 10, 31)


def _rss_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(summary_path: str) -> None:
    import warnings

    import pandas as pd

    warnings.filterwarnings("ignore")
    from value.clv import fit, predict

    summary = pd.read_parquet(summary_path)
    started = time.perf_counter()
    import pymc_marketing.clv  # noqa: F401  (the import fit() does lazily, timed on its own here)

    imported = time.perf_counter()
    rss_imported = _rss_mb("VmRSS")
    first = fit(summary).fit_seconds
    model = fit(summary)
    before_predict = time.perf_counter()
    predict(model, summary)
    print(json.dumps({
        "import_s": imported - started, "first_fit_s": first, "fit_s": model.fit_seconds,
        "predict_s": time.perf_counter() - before_predict, "rss_after_import_mb": rss_imported,
        "peak_rss_mb": _rss_mb("VmHWM"), **{k: round(v, 3) for k, v in model.params.items()},
    }))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)

    from value.clv import summarise
    from value.simulate import simulate

    for n in args.customers:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            summary = summarise(simulate(n, END, history_days=730, seed=n), END)
            path = Path(tmp) / "summary.parquet"
            summary.to_parquet(path)
            prepared = time.perf_counter() - t0
            out = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True,
                                 text=True, check=True, cwd=ROOT)
            r = json.loads(out.stdout.strip().splitlines()[-1])
        repeat = int((summary["frequency"] > 0).sum())
        print(f"{n:>7} customers ({len(summary)} buyers, {repeat} repeat): "
              f"simulate+summarise {prepared:.1f} s; import {r['import_s']:.1f} s; "
              f"fit {r['first_fit_s']:.1f} s first / {r['fit_s']:.1f} s cached; "
              f"predict {r['predict_s']:.1f} s; RSS {r['rss_after_import_mb']:.0f} MB after import, "
              f"peak {r['peak_rss_mb']:.0f} MB; r={r['r']} alpha={r['alpha']} a={r['a']} b={r['b']} "
              f"p={r['p']} q={r['q']} v={r['v']}")


if __name__ == "__main__":
    main()
