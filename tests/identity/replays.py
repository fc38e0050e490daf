"""Hand-made identity days, replayed on two warehouses: one resolved incrementally, one in full."""

from __future__ import annotations

from datetime import UTC, datetime

from link_worlds import load, tables

from identity.warehouse import resolve_identities

CAP = 3
GROUPS = {"wechat_account": ("unionid", "oa_openid", "mp_openid")}
SECRET = b"replays-warehouse-secret"


def run(con, incremental: bool = True) -> dict:
    return resolve_identities(
        con, degree_cap=CAP, incremental=incremental, max_touched_share=1.0, account_groups=GROUPS,
        secret=SECRET,
    )


T0 = datetime(2026, 1, 1, tzinfo=UTC)


def node(id_type, id_value, day=1):
    return (id_type, id_value, T0.replace(day=day), 1, True, None)


def strong(a, b):
    return (*a[:2], *b[:2], "strong")


def phone_link(a, p):
    return (*a[:2], *p[:2], "phone")


def replay(pair, *days: tuple[list, list]):
    """Day 1 in full on both warehouses, later days incremental vs full: the tables must match after
    each. Returns the last day's metadata, each identifier's customer per day, and the last tables."""
    inc, full = pair
    ids = []
    for nodes, links in days:
        for con in pair:
            load(con, nodes, links)
        meta = run(inc)
        run(full, incremental=False)
        out = tables(inc)
        assert out == tables(full)
        ids.append({(t, v): c for t, v, c in out["customer_map"]})
    assert meta["path"] == "incremental"
    return meta, ids, out


def two_days(pair, day1: tuple[list, list], day2: tuple[list, list]):
    meta, ids, out = replay(pair, day1, day2)
    return meta, ids[0], ids[1], out
