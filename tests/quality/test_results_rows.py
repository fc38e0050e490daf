"""quality.validation_results holds one row per finding, however many a run has (they are written in
statements of INSERT_ROWS rows), and a re-run of the same run id replaces its rows."""

from datetime import date, timedelta

import duckdb

from quality.results import INSERT_ROWS, CheckSummary, Finding, write_results

DAY = date(2026, 10, 20)


def _summaries(n: int) -> list[CheckSummary]:
    findings = [
        Finding(
            "contract",
            f"rule_{i}",
            None if i % 7 == 0 else f"column_{i}",
            i % 3 != 0,
            None if i % 5 == 0 else float(i),
            tuple(DAY + timedelta(d) for d in range(i % 4)),
            {"note": f"finding {i}", "sample": ["a", "b"]} if i % 2 else {},
            blocking=i % 2 == 0,
        )
        for i in range(n)
    ]
    return [CheckSummary("mp", "event", "contract", DAY, DAY + timedelta(3), findings)]


def test_every_finding_is_one_row_across_statements(tmp_path):
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    n = 2 * INSERT_ROWS + 3  # three statements, the last of 3 rows
    assert write_results(con, "run-1", _summaries(n)) == n
    rows = con.execute(
        "select rule, column_name, success, observed, failed_days, blocking, severity, "
        "details->>'note' from quality.validation_results order by cast(substr(rule, 6) as int)"
    ).fetchall()
    assert len(rows) == n
    for i, (rule, column, success, observed, days, blocking, severity, note) in enumerate(rows):
        assert rule == f"rule_{i}" and column == (None if i % 7 == 0 else f"column_{i}")
        assert success == (i % 3 != 0) and observed == (None if i % 5 == 0 else float(i))
        assert days == [DAY + timedelta(d) for d in range(i % 4)]
        assert (blocking, severity) == ((True, "error") if i % 2 == 0 else (False, "warn"))
        assert note == (f"finding {i}" if i % 2 else None)
    # the same run again, with fewer findings: its rows are replaced, not added to
    assert write_results(con, "run-1", _summaries(5)) == 5
    assert con.execute("select count(*) from quality.validation_results").fetchone() == (5,)
