"""The CLV fit handed to a worker (value/handoff.py): fitted from the file dbt's post-hook writes, it is
the fit the CLV step computes from the warehouse, and the step can tell whether the warehouse still
holds the purchases that were fitted."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from test_clv import make_warehouse

from value.handoff import fit, handoff_path
from value.simulate import Process, simulate
from value.warehouse import PURCHASES, fit_clv

END = date(2026, 10, 31)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    purchases = simulate(600, END, history_days=400, process=Process(), seed=11)
    purchases["purchase_date"] = pd.to_datetime(purchases["purchase_date"])
    customers = sorted(set(purchases["customer_id"]))[5:]  # five buyers outside user_assets
    path = tmp_path_factory.mktemp("handoff") / "w.duckdb"
    con = make_warehouse(path, purchases, END, customers)
    # what dbt's post-hook writes: int_value__clv_purchases, here from the step's own query, shuffled
    con.execute(f"copy (select *, date '{END}' as as_of_date from ({PURCHASES}) using sample 100 percent) "
                f"to '{handoff_path(path)}' (format parquet)")
    yield con, path
    con.close()


def test_the_worker_fits_what_the_step_fits_from_the_warehouse(warehouse):
    con, path = warehouse
    handed = fit(str(handoff_path(path)), 60)
    here = fit_clv(con.execute(PURCHASES).df(), END, 60)
    assert handed is not None and handed.matches(con)
    assert here.model["status"] == "ok" and len(here.predictions) > 300  # a real fit to compare
    pd.testing.assert_frame_equal(handed.fitted.predictions.reset_index(drop=True),
                                  here.predictions.reset_index(drop=True))
    assert handed.fitted.calibration == here.calibration
    timeless = [{k: v for k, v in m.items() if k != "fit_seconds"}
                for m in (handed.fitted.metadata, here.metadata)]
    assert timeless[0] == timeless[1] and handed.fitted.as_of == END
    assert handed.digest[0] == con.execute(f"select count(*) from ({PURCHASES})").fetchone()[0]


def test_the_step_sees_when_the_warehouse_holds_other_purchases(warehouse, tmp_path):
    con, path = warehouse
    handed = fit(str(handoff_path(path)), 60)
    con.execute("begin")
    try:
        con.execute("update intermediate.int_purchases set net_amount = net_amount + 1 where customer_id = "
                    "(select max(customer_id) from marts.user_assets)")
        assert not handed.matches(con)
    finally:
        con.execute("rollback")
    con.execute("begin")
    try:
        con.execute("update intermediate.int_calendar__bounds set last_date = last_date + 1")
        assert not handed.matches(con)
    finally:
        con.execute("rollback")
    assert handed.matches(con)
    # a file without purchases: nothing to fit at (no as-of date), the step does it all
    empty = tmp_path / "empty.parquet"
    con.execute(f"copy (select *, date '{END}' as as_of_date from ({PURCHASES}) limit 0) to '{empty}' "
                "(format parquet)")
    assert fit(str(empty), 60) is None


def test_the_file_is_where_dbt_s_post_hook_writes_it(tmp_path):
    assert handoff_path(tmp_path / "w.duckdb") == tmp_path / "w.duckdb.clv-handoff.parquet"
    macro = Path(__file__).resolve().parents[2] / "dbt_project" / "macros" / "clv_handoff.sql"
    assert """to '{{ (target.path ~ ".clv-handoff.parquet") | replace""" in macro.read_text()
