"""assert_transfers_pair_up on hand-written friendships: a hand-over of a friendship older than the data
(only its transfer_in loaded) passes even when the customer is handed back to that guide later; a
transfer_in whose giving guide had a friendship with the customer before it, and no transfer_out, fails."""

from __future__ import annotations

import duckdb
import pytest
from dbt_support import run_dbt

pytestmark = pytest.mark.build  # dbt runs a data test against a small warehouse

COLUMNS = (
    "friendship_id varchar, external_userid varchar, userid varchar, started_at timestamptz, "
    "ended_at timestamptz, start_kind varchar, end_kind varchar, transferred_from_userid varchar, "
    "transferred_to_userid varchar"
)

# c1: guide A's friendship predates the data; A hands c1 to B on 09-10 (B's transfer_in, no
# transfer_out of A loaded); B hands c1 back to A on 10-01 (both sides loaded).
HANDED_BACK = [
    ("f1", "c1", "u_b", "2026-09-10 10:00+00", "2026-10-01 09:00+00", "transfer_in", "transfer_out",
     "u_a", "u_a"),
    ("f2", "c1", "u_a", "2026-10-01 09:30+00", None, "transfer_in", None, "u_b", None),
]
# c2: A's friendship with c2 is in the data and began before the hand-over, yet only B's transfer_in
# exists: a one-sided pair.
ONE_SIDED = [
    ("f3", "c2", "u_a", "2026-09-01 08:00+00", "2026-09-05 08:00+00", "add", "del_external_contact",
     None, None),
    ("f4", "c2", "u_b", "2026-09-10 10:00+00", None, "transfer_in", None, "u_a", None),
]


def _run(tmp_path, rows) -> list:
    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema intermediate")
    con.execute(f"create table intermediate.int_wecom__friendships ({COLUMNS})")
    con.executemany(f"insert into intermediate.int_wecom__friendships values ({', '.join('?' * 9)})", rows)
    con.close()
    result = run_dbt(tmp_path, warehouse, ["test", "--select", "assert_transfers_pair_up"])
    (r,) = result.result
    return [r.status, r.failures]


def test_a_customer_handed_back_to_the_guide_of_an_older_friendship_is_no_failure(tmp_path):
    assert _run(tmp_path, HANDED_BACK) == ["pass", 0]


def test_a_transfer_in_without_the_transfer_out_of_an_earlier_friendship_fails(tmp_path):
    assert _run(tmp_path, HANDED_BACK + ONE_SIDED) == ["fail", 1]
