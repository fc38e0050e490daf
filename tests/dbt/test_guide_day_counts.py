"""The guides' daily friendship book (int_guides__daily_friendships) and 导购客群资产数
(int_guides__daily_asset_counts), computed with running sums over the days reaches begin and end:
on a hand-worked guide (midnight boundaries, a transfer, a deletion logged before its add, a
friendship and a group membership of one customer back to back), and on random reaches against the
definition itself — every guide-day joined with every friendship or membership open at its end."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import duckdb
import pytest
from dbt_support import run_dbt

pytestmark = pytest.mark.build  # dbt runs the two models against a small warehouse

MODELS = ["int_guides__daily_friendships", "int_guides__daily_asset_counts"]
BJ = timezone(timedelta(hours=8))
DAYS = ("2026-10-01", "2026-10-02", "2026-10-03")


def bj(text: str) -> datetime:
    """A Beijing wall-clock time as the UTC instant the warehouse holds."""
    return datetime.fromisoformat(text).replace(tzinfo=BJ).astimezone(UTC)


def _warehouse(path, guides, days, friendships, memberships):
    con = duckdb.connect(str(path))
    con.execute("create schema intermediate; create schema staging")
    con.execute("set timezone = 'UTC'")
    con.execute(
        "create table intermediate.int_guides__days as "
        "select userid, cast(d as date) as business_date, "
        "timezone('Asia/Shanghai', cast(cast(d as date) as timestamp)) as day_start_at, "
        "timezone('Asia/Shanghai', cast(cast(d as date) + 1 as timestamp)) as day_end_at "
        "from (select unnest(?) as userid) cross join (select unnest(?) as d)",
        [guides, list(days)],
    )
    con.execute(
        "create table intermediate.int_guides__customer_friendships (friendship_id varchar, "
        "customer_id varchar, userid varchar, started_at timestamptz, ended_at timestamptz, "
        "start_kind varchar, end_kind varchar)"
    )
    con.executemany("insert into intermediate.int_guides__customer_friendships values (?, ?, ?, ?, ?, ?, ?)",
                    friendships)
    con.execute(
        "create table intermediate.int_wecom__group_memberships (owner_userid varchar, "
        "external_userid varchar, joined_at timestamptz, left_at timestamptz)"
    )
    con.executemany("insert into intermediate.int_wecom__group_memberships values (?, ?, ?, ?)", memberships)
    # group members' external_userids are the customer ids with an x in front; one maps to nobody
    con.execute(
        "create table staging.stg_identity__customer_maps as select 'external_userid' as id_type, "
        "'x' || customer_id as id_value, customer_id from (select distinct customer_id "
        "from intermediate.int_guides__customer_friendships union select 'c' || i from range(40) t(i))"
    )
    con.execute("create table intermediate.int_customers as select distinct customer_id "
                "from staging.stg_identity__customer_maps")
    con.close()


def _build(tmp_path, guides, days, friendships, memberships):
    warehouse = tmp_path / "warehouse.duckdb"
    _warehouse(warehouse, guides, days, friendships, memberships)
    result = run_dbt(tmp_path, warehouse, ["run", "--select", *MODELS])
    assert result.success, result.exception or [r.message for r in result.result]
    return duckdb.connect(str(warehouse))


def test_a_hand_worked_guide(tmp_path):
    friendships = [
        ("A", "c1", "g", bj("2026-09-30 12:00"), None, "add", None),
        ("B", "c2", "g", bj("2026-10-01 10:00"), bj("2026-10-02 09:00"), "add", "del_follow_user"),
        # begins at 10-02's first instant and ends at 10-03's: open at the end of 10-02 only
        ("C", "c3", "g", bj("2026-10-02 00:00"), bj("2026-10-03 00:00"), "transfer_in", "transfer_out"),
        # its deletion logged an hour before its add, on the same date: begun and lost that day
        ("D", "c4", "g", bj("2026-10-03 08:00"), bj("2026-10-03 07:00"), "add", "del_external_contact"),
        # ends a date before it begins: open on no day, counted nowhere
        ("E", "c5", "g", bj("2026-10-02 08:00"), bj("2026-10-01 07:00"), "add", "del_follow_user"),
    ]
    memberships = [
        ("g", "xc1", bj("2026-09-01 08:00"), None),  # c1 is friend and member: one customer
        ("g", "xc2", bj("2026-10-02 09:00"), bj("2026-10-03 12:00")),  # c2 in the group as B ends
        ("g", "x-nobody", bj("2026-09-01 08:00"), None),  # maps to no customer
    ]
    con = _build(tmp_path, ["g"], DAYS, friendships, memberships)
    book = con.execute("select business_date::varchar, opening_customers, added_customers, transferred_in, "
                       "lost_by_customer, lost_by_guide, transferred_out, closing_customers "
                       "from intermediate.int_guides__daily_friendships order by 1").fetchall()
    assert book == [
        ("2026-10-01", 1, 1, 0, 0, 0, 0, 2),  # A open; B added
        ("2026-10-02", 2, 0, 1, 1, 0, 0, 2),  # C handed over at 00:00; B deleted by the customer
        ("2026-10-03", 2, 1, 0, 0, 1, 1, 1),  # C handed on at 00:00; D added and deleted
    ]
    assets = con.execute("select business_date::varchar, customer_asset_count "
                         "from intermediate.int_guides__daily_asset_counts order by 1").fetchall()
    # 10-01: c1, c2; 10-02: c1, c2 (now as a member), c3; 10-03: c1 (c2 left the group at noon)
    assert assets == [("2026-10-01", 2), ("2026-10-02", 3), ("2026-10-03", 1)]


# The definition: every guide-day joined with every friendship (or reach) touching it.
BOOK = """
select d.userid, d.business_date,
  count(*) filter (where f.started_at < d.day_start_at
                   and (f.ended_at is null or f.ended_at >= d.day_start_at)),
  count(*) filter (where f.start_kind = 'add' and f.started_at >= d.day_start_at
                   and f.started_at < d.day_end_at),
  count(*) filter (where f.start_kind = 'transfer_in' and f.started_at >= d.day_start_at
                   and f.started_at < d.day_end_at),
  count(*) filter (where f.end_kind = 'del_follow_user' and f.ended_at >= d.day_start_at
                   and f.ended_at < d.day_end_at),
  count(*) filter (where f.end_kind = 'del_external_contact' and f.ended_at >= d.day_start_at
                   and f.ended_at < d.day_end_at),
  count(*) filter (where f.end_kind = 'transfer_out' and f.ended_at >= d.day_start_at
                   and f.ended_at < d.day_end_at),
  count(*) filter (where f.started_at < d.day_end_at
                   and (f.ended_at is null or f.ended_at >= d.day_end_at))
from intermediate.int_guides__days d
left join intermediate.int_guides__customer_friendships f
  on d.userid = f.userid and f.started_at < d.day_end_at
  and (f.ended_at is null or f.ended_at >= d.day_start_at)
group by all order by all
"""
ASSETS = """
with reach as (
  select userid, customer_id, started_at, ended_at from intermediate.int_guides__customer_friendships
  union all
  select m.owner_userid, c.customer_id, m.joined_at, m.left_at
  from intermediate.int_wecom__group_memberships m
  join staging.stg_identity__customer_maps c on c.id_value = m.external_userid
)
select d.userid, d.business_date, count(distinct r.customer_id)
from intermediate.int_guides__days d
left join reach r on d.userid = r.userid and r.started_at < d.day_end_at
  and (r.ended_at is null or r.ended_at >= d.day_end_at)
group by all order by all
"""


def _random_instant(rng: random.Random) -> datetime:
    """Anywhere from 09-27 to 10-08 Beijing, often exactly at a Beijing midnight."""
    day = datetime(2026, 9, 27, tzinfo=BJ) + timedelta(days=rng.randrange(12))
    if rng.random() < 0.25:
        return day.astimezone(UTC)
    return (day + timedelta(minutes=rng.randrange(24 * 60))).astimezone(UTC)


def test_random_reaches_match_the_definition(tmp_path):
    rng = random.Random(14)
    guides = ["g1", "g2", "g3"]
    friendships, memberships = [], []
    for i in range(400):
        started = _random_instant(rng)
        ended = None if rng.random() < 0.3 else _random_instant(rng)  # sometimes before it began
        friendships.append((f"f{i}", f"c{rng.randrange(40)}", rng.choice(guides + ["g4", None]), started,
                            ended, rng.choice(["add", "transfer_in"]),
                            None if ended is None else rng.choice(
                                ["del_follow_user", "del_external_contact", "transfer_out"])))
    for _ in range(150):
        joined = _random_instant(rng)
        left = None if rng.random() < 0.3 else _random_instant(rng)
        memberships.append((rng.choice(guides), f"xc{rng.randrange(45)}", joined, left))
    days = [f"2026-10-0{d}" for d in range(1, 8)]
    con = _build(tmp_path, guides, days, friendships, memberships)
    assert con.execute(BOOK).fetchall() == con.execute(
        "select * from intermediate.int_guides__daily_friendships order by all").fetchall()
    expected = con.execute(ASSETS).fetchall()
    assert expected == con.execute(
        "select * from intermediate.int_guides__daily_asset_counts order by all").fetchall()
    assert len(expected) == 21 and len({count for *_, count in expected}) > 5  # varied counts
