"""Build every model and mart on a loaded warehouse: time and peak memory per phase and per issue.

    .venv/bin/python bench/marts_build.py /work/bench1m/warehouse.duckdb

The warehouse must hold the raw tables (bench/load_landing.py). Three phases, as `siyu run` runs
them: dbt builds what identity needs (staging + identity pairs), the identity step resolves
customers in this process, dbt builds the rest. Each dbt model's own time comes from dbt's
run_results.json, summed per issue's marts and the intermediate models only they use.
Then rfm_scores is compared with an RFM an analyst would write in pandas (groupby + qcut) on the
same purchases, as a ratio of wall times.

Peak RSS: the dbt subprocesses' (RUSAGE_CHILDREN) and this process's (identity, pandas) maxima.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from identity.warehouse import resolve_identities
from orchestration.settings import DBT_PROJECT_DIR, identity_rules

IDENTITY_INPUTS = "+int_identity__links +int_identity__nodes"
ISSUE_4 = {
    "identity_map",
    "identity_changes",
    "identity_rejected",
    "user_assets",
    "user_asset_statement",
    "guide_assets_daily",
    "daily_kpis",
}
ISSUE_5 = {
    "rfm_scores",
    "rfm_segment_summary",
    "revenue_pareto",
    "funnel_steps",
    "funnel_customers",
    "wecom_success_rates",
    "guide_performance",
    "channel_economics",
    "cohort_retention",
    "referrals",
    "fission_campaigns",
    "customer_tags",
    "care_calendar",
}


def rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def dbt(args: list[str], target: Path) -> list[dict]:
    cmd = [
        str(Path(sys.executable).parent / "dbt"),
        *args,
        "--exclude-resource-type",
        "unit_test",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
        "--quiet",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"dbt {' '.join(args)} failed")
    return json.loads((target / "run_results.json").read_text())["results"]


def timed(label: str, fn, timings: dict):
    started = time.perf_counter()
    out = fn()
    timings[label] = time.perf_counter() - started
    print(
        f"{label:<44} {timings[label]:8.1f} s   peak RSS dbt {rss_mb(resource.RUSAGE_CHILDREN):7.0f} MB, "
        f"python {rss_mb(resource.RUSAGE_SELF):7.0f} MB",
        flush=True,
    )
    return out


def issue_seconds(results: list[dict], manifest: dict) -> dict[str, float]:
    """Seconds of each issue's marts plus the intermediate models only that issue's marts use."""
    nodes = manifest["nodes"]
    children: dict[str, set[str]] = {}
    for uid, node in nodes.items():
        for parent in node.get("depends_on", {}).get("nodes", []):
            children.setdefault(parent, set()).add(uid)

    def marts_downstream(uid: str, seen=None) -> set[str]:
        seen = set() if seen is None else seen
        out = set()
        for child in children.get(uid, ()):
            if child in seen:
                continue
            seen.add(child)
            node = nodes.get(child, {})
            if node.get("resource_type") == "model" and node.get("name") in ISSUE_4 | ISSUE_5:
                out.add(node["name"])
            out |= marts_downstream(child, seen)
        return out

    totals = {"issue 4 marts": 0.0, "issue 5 marts": 0.0, "shared / staging / tests": 0.0}
    for r in results:
        uid, seconds = r["unique_id"], r["execution_time"]
        node = nodes.get(uid, {})
        name = node.get("name", "")
        users = {name} if name in ISSUE_4 | ISSUE_5 else marts_downstream(uid)
        if node.get("resource_type") == "model" and users and users <= ISSUE_4:
            totals["issue 4 marts"] += seconds
        elif node.get("resource_type") == "model" and users and users <= ISSUE_5:
            totals["issue 5 marts"] += seconds
        else:
            totals["shared / staging / tests"] += seconds
    return totals


def pandas_rfm(con) -> tuple[float, int]:
    """The analyst's RFM (bench/rfm_vs_pandas.py) on the same purchases, timed with its read."""
    from rfm_vs_pandas import analyst_rfm  # a sibling script: bench/ is on sys.path when run

    started = time.perf_counter()
    customers = analyst_rfm(con)
    return time.perf_counter() - started, customers


def main(path: str) -> None:
    os.environ["SIYU_WAREHOUSE"] = str(Path(path).resolve())
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    target = Path("/tmp/siyu-bench-dbt")
    timings: dict[str, float] = {}
    first = timed(
        "dbt: staging + identity inputs",
        lambda: dbt(["build", "--select", *IDENTITY_INPUTS.split()], target / "a"),
        timings,
    )

    def identity() -> None:
        with duckdb.connect(path) as con:
            secret = os.environ.get("SIYU_PHONE_SALT", "bench-salt").encode()
            resolve_identities(con, **identity_rules(), secret=secret)

    timed("identity (Python, in process)", identity, timings)
    rest = timed(
        "dbt: everything else (marts)",
        lambda: dbt(["build", "--exclude", *IDENTITY_INPUTS.split()], target / "b"),
        timings,
    )
    manifest = json.loads((target / "b" / "manifest.json").read_text())
    per_issue = issue_seconds(first + rest, manifest)
    for label, seconds in per_issue.items():
        print(f"  model time, {label:<38} {seconds:8.1f} s (summed over dbt's 4 threads)")
    rfm_models = [
        r
        for r in rest
        if r["unique_id"].split(".")[0] == "model"
        and r["unique_id"].split(".")[-1].startswith(("int_rfm__", "rfm_scores"))
    ]
    rfm_seconds = sum(r["execution_time"] for r in rfm_models)
    with duckdb.connect(path, read_only=True) as con:
        customers = con.execute("select count(*) from marts.user_assets").fetchone()[0]
        snapshots = con.execute("select count(distinct as_of_date) from marts.rfm_scores").fetchone()[0]
        pandas_seconds, buyers = pandas_rfm(con)
    print(f"customers {customers:,}; buyers {buyers:,}")
    print(
        f"rfm_scores in dbt ({len(rfm_models)} models, {snapshots} snapshots: month-ends + latest): "
        f"{rfm_seconds:.1f} s; pandas groupby + qcut (latest only): {pandas_seconds:.1f} s; "
        f"ratio {rfm_seconds / pandas_seconds:.2f}, "
        f"per snapshot {rfm_seconds / max(snapshots, 1) / pandas_seconds:.2f}"
    )
    print(
        f"total {sum(timings.values()):.0f} s; peak RSS dbt {rss_mb(resource.RUSAGE_CHILDREN):.0f} MB, "
        f"python {rss_mb(resource.RUSAGE_SELF):.0f} MB"
    )


if __name__ == "__main__":
    main(sys.argv[1])
