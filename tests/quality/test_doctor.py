"""`siyu doctor`: the latest run's checks, quarantined files, freshness, dbt tests; exit code 1
exactly when something blocking failed."""

import json
import time
from datetime import timedelta

import pytest
from quality_support import DAY, mp_event, put, warehouse

from quality import doctor
from quality.results import CheckSummary, Finding, write_results


@pytest.fixture
def wh(tmp_path):
    path = tmp_path / "wh.duckdb"
    con = warehouse(path)
    put(con, "mp", "event", [mp_event(i) for i in range(3)], offered=5, quarantined=2)
    put(con, "oa", "user", [], DAY - timedelta(20))
    con.execute(
        "insert into raw._quarantine values ('mp', 'event', ?, 'mp/event/2026-10-20/export.jsonl', 4, "
        "'unknown_enum_value', 'event: unknown_enum_value', null, now()), ('mp', 'event', ?, "
        "'mp/event/2026-10-20/export.jsonl', 5, 'unparseable_record', 'truncated', null, now())",
        [DAY, DAY],
    )
    yield path, con
    con.close()


def record(con, run_id, *findings):
    summaries = {}
    for f in findings:
        summaries.setdefault(f.check, CheckSummary("mp", "event", f.check, DAY, DAY)).findings.append(f)
    write_results(con, run_id, list(summaries.values()))
    time.sleep(0.01)  # runs are ordered by when they were validated


OK = Finding("contract", "expect_column_values_to_match_regex", "openid", True, 0.0, blocking=True)
BAD = Finding("contract", "expect_column_values_to_be_in_set", "event", False, 3.0, (DAY,), blocking=True)
CLASH = "event_id ev1: mp/event/2026-10-20/b.jsonl row 1 (kept) over mp/event/2026-10-20/a.jsonl row 4"
REPEAT = Finding(
    "conflicts", "same_key_and_version_with_other_values", None, False, 1.0, (DAY,), {"message": CLASH}
)
MOSTLY = (
    "mp/event/2026-10-20/export.jsonl: 5 of 5 rows (100%) quarantined as unknown_enum_value (field event)"
)
STOPPED = Finding(
    "quarantine_share",
    "mostly_quarantined_for_one_reason",
    None,
    False,
    1.0,
    (DAY,),
    {"message": MOSTLY, "files": [{"file": "mp/event/2026-10-20/export.jsonl"}]},
    blocking=True,
)
LOW = Finding("volume", "rows_vs_trailing_7_day_median", None, False, 0.2, (DAY,))


def diagnose(wh, target=None):
    path, con = wh
    con.close()
    lines = []
    code = doctor.run(path, target, out=lines.append)
    return code, lines[0]


def test_a_blocking_failure_exits_non_zero_and_says_where(wh):
    record(wh[1], "run-1", OK, BAD, LOW)
    code, text = diagnose(wh)
    assert code == 1
    assert (
        "FAIL  mp/event contract: event: expect_column_values_to_be_in_set (observed 3) on 2026-10-20" in text
    )
    assert "WARN  mp/event volume: rows_vs_trailing_7_day_median (observed 0.2) on 2026-10-20" in text
    assert "BLOCKING FAILURES: mp/event contract" in text


def test_warnings_alone_exit_zero_and_only_the_latest_run_counts(wh):
    record(wh[1], "run-1", BAD)
    record(wh[1], "run-2", OK, REPEAT, LOW)
    code, text = diagnose(wh)
    assert code == 0 and text.startswith("Run run-2 (2026-10-20 … 2026-10-20)")
    assert "Boundary checks: 1 passed, 2 failed (0 blocking)" in text and "No blocking failures." in text
    warning = "WARN  mp/event conflicts: same_key_and_version_with_other_values (observed 1) on 2026-10-20"
    assert f"{warning}: {CLASH}" in text


def test_a_blocking_line_says_what_was_found_and_where(wh):
    record(wh[1], "run-1", OK, STOPPED, REPEAT)
    assert doctor.blocking_lines(wh[1]) == [
        "FAIL mp/event 'quarantine_share': mostly_quarantined_for_one_reason (observed 1) on 2026-10-20: "
        f"{MOSTLY} — files: mp/event/2026-10-20/export.jsonl"
    ]


def test_quarantined_files_and_freshness_are_listed(wh):
    record(wh[1], "run-1", OK)
    _, text = diagnose(wh)
    assert "Quarantined: 2 rows in 1 files" in text
    assert "mp/event/2026-10-20/export.jsonl: unknown_enum_value ×1, unparseable_record ×1" in text
    assert "mp/event                   events    2026-10-20    0 d" in text
    assert "oa/user                    snapshot  2026-09-30   20 d" in text and "STALE" in text
    assert "youzan/trade               events    never loaded  STALE" in text


def dbt_results(tmp_path, run_id, statuses):
    """What the dbt asset keeps per step: <warehouse folder>/logs/dbt/<run id>-<n>.json."""
    folder = tmp_path / "logs" / "dbt"
    folder.mkdir(parents=True)
    results = [
        {"unique_id": f"test.siyu.{name}.{i}", "status": s, "message": f"Got {i} results"}
        for i, (name, s) in enumerate(statuses.items())
    ]
    (folder / f"{run_id}-1.json").write_text(json.dumps({"results": results}))
    # another run whose id starts alike: not this run's
    other = [{"unique_id": "test.siyu.unique_x.9", "status": "fail", "message": "Got 9 results"}]
    (folder / "abcdef12-other-1.json").write_text(json.dumps({"results": other}))
    return folder


def test_a_failing_dbt_test_of_the_same_run_is_blocking_a_warning_is_not(wh, tmp_path):
    record(wh[1], "abcdef12-run", OK)
    target = dbt_results(
        tmp_path,
        "abcdef12-run",
        {"unique_user_assets_customer_id": "pass", "assert_funnel_monotonic": "warn"},
    )
    code, text = diagnose(wh, target)
    assert code == 0 and "dbt tests: 1 passed, 1 warned, 0 failed, 0 skipped" in text
    (target / "abcdef12-run-2.json").write_text(
        json.dumps(
            {
                "results": [
                    {
                        "unique_id": "test.siyu.not_null_orders_order_id.1",
                        "status": "fail",
                        "message": "Got 2 results",
                    }
                ]
            }
        )
    )
    code, text = diagnose(warehouse_again(wh), target)
    assert code == 1 and "FAIL  not_null_orders_order_id: Got 2 results" in text


def warehouse_again(wh):
    path, _ = wh
    return path, warehouse(path)


def test_no_results_yet_is_not_a_failure(tmp_path):
    lines = []
    assert doctor.run(tmp_path / "missing.duckdb", None, out=lines.append) == 0
    warehouse(tmp_path / "empty.duckdb").close()
    assert doctor.run(tmp_path / "empty.duckdb", None, out=lines.append) == 0
    assert "No validation results yet" in lines[-1]
