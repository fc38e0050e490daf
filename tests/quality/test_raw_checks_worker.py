"""The raw checks in a worker process (quality/worker.py) give what check_raw gives in the night's
process: the same summaries and the same rows in quality.validation_results, for a table that
passes and one whose contract is breached; a warehouse of another salt is refused with the
worker's own error, and nothing is written."""

import shutil
from datetime import timedelta

import duckdb
import pytest
from quality_support import DAY, days_before, pos_receipt, put, put_days, warehouse

from ingestion.contracts import get
from orchestration.salt import check_warehouse_salt
from orchestration.worker import Worker
from quality.raw_checks import check_raw
from quality.worker import CHECK, MODULES, Request

SALT = b"a-worker-test-salt-that-is-long-and-random-9f1c2e"
TABLES = (("pos", "receipt"), ("oa", "user"))
# what a row of results says, without the time it was validated at
RESULTS = (
    "select source, entity, first_date, last_date, check_name, rule, column_name, severity, blocking, "
    "success, observed, failed_days, details from quality.validation_results order by all"
)


@pytest.fixture
def two_copies(tmp_path):
    path = tmp_path / "a.duckdb"
    con = warehouse(path)
    check_warehouse_salt(con, SALT)
    put_days(con, "pos", "receipt", pos_receipt, {d: 60 for d in days_before(DAY, 7)})
    # 2 negative sales of the two days' 120 receipts: over the 1% that only warn
    negative = [pos_receipt(i, amount=-9.9) for i in (98, 99)]
    put(con, "pos", "receipt", [pos_receipt(i) for i in range(58)] + negative)
    con.close()
    shutil.copy(path, tmp_path / "b.duckdb")
    return path, tmp_path / "b.duckdb"


def _view(summaries):
    return [
        (s.source, s.entity, s.check, s.first, s.last, s.passed, s.blocking_failed, s.files,
         [(f.rule, f.column, f.success, f.observed, f.failed_days) for f in s.findings])
        for s in summaries
    ]


def test_the_worker_checks_as_the_night_s_process_does(two_copies, tmp_path):
    here, there = two_copies
    con = duckdb.connect(str(here))
    con.execute("set TimeZone = 'UTC'")
    logged_here: list[str] = []
    contracts = [get(*t) for t in TABLES]
    expected = check_raw(con, contracts, DAY - timedelta(1), DAY, "run-1", None, logged_here.append)
    rows_here = con.execute(RESULTS).fetchall()
    con.close()

    worker = Worker(MODULES)
    try:
        request = Request(str(there), SALT, TABLES, DAY - timedelta(1), DAY, "run-1", None)
        got, logged = worker.call(CHECK, request)
    finally:
        worker.close()
    assert worker.used and worker.process.returncode == 0
    assert _view(got) == _view(expected)
    # the breach is there to compare: a return naming no receipt fails pos/receipt's contract
    contract = next(s for s in got if (s.entity, s.check) == ("receipt", "contract"))
    assert not contract.passed and contract.blocking_failed
    assert logged == logged_here and any("'contract' failed" in line for line in logged)
    with duckdb.connect(str(there), read_only=True) as con:
        assert con.execute(RESULTS).fetchall() == rows_here


def test_a_warehouse_of_another_salt_is_refused_with_the_worker_s_error(two_copies):
    _, there = two_copies
    worker = Worker(MODULES)
    try:
        with pytest.raises(RuntimeError, match="(?s)quality.worker:check failed in its worker.*SaltMismatch"):
            worker.call(CHECK, Request(str(there), b"another-salt-" * 4, TABLES, DAY, DAY, "run-2", None))
    finally:
        worker.close()
    with duckdb.connect(str(there), read_only=True) as con:  # nothing was written
        assert con.execute("select count(*) from information_schema.tables where table_schema = "
                           "'quality'").fetchone() == (0,)
