"""Customer ids reveal nothing: without the warehouse secret no one can compute a person's id from
their unionid or external_userid, yet the same secret gives the same ids run to run."""

from __future__ import annotations

import hashlib

import duckdb
from link_worlds import World, load, partition, tables
from replays import SECRET, node, replay, run, strong

from identity.warehouse import resolve_identities


def unkeyed(id_type: str, id_value: str, suffix: str = "") -> set[str]:
    """What anyone could compute from an identifier alone: the formula ids were made with until
    keying (sha1 of `<type>:<value>|<suffix>`), and the same with sha256."""
    text = f"{id_type}:{id_value}|{suffix}".encode()
    return {"c_" + hashlib.sha1(text).hexdigest()[:16], "c_" + hashlib.sha256(text).hexdigest()[:16]}


def issued(out: dict) -> set[str]:
    """Every id the warehouse ever handed out: current customers and those retired by a change."""
    return ({c for c, _ in out["customers"]}
            | {c for _, old, new in out["changes"] for c in (old, new)})


def world_warehouse(path, secret: bytes, days: int = 6, seed: int = 3) -> dict:
    world = World(seed)
    with duckdb.connect(str(path)) as con:
        for day in range(days):
            world.advance(people=80 if day == 0 else 12)
            world.load(con)
            resolve_identities(con, degree_cap=3, secret=secret,
                               account_groups={"wechat_account": ("unionid", "oa_openid", "mp_openid")})
        return tables(con)


def test_no_customer_id_is_computable_from_its_identifiers(tmp_path):
    out = world_warehouse(tmp_path / "w.duckdb", SECRET)
    ids = issued(out)
    # every identifier, alone and with each retired id a split suffixes it with, and with counters
    olds = sorted({old for kind, old, _ in out["changes"] if kind == "split"})
    guesses = set()
    for id_type, id_value, _ in out["customer_map"] + [r[:2] + (None,) for r in out["rejected"]]:
        for suffix in ["", "#1", "#2", *olds]:
            guesses |= unkeyed(id_type, id_value, suffix)
    assert len(out["customer_map"]) > 300 and len(ids) > 100 and olds  # not a vacuous check
    assert ids & guesses == set()
    assert all(c.startswith("c_") and len(c) == 18 for c in ids)  # the shape downstream contracts hold


def test_same_secret_same_ids_another_secret_other_ids(tmp_path):
    first = world_warehouse(tmp_path / "a.duckdb", SECRET)
    again = world_warehouse(tmp_path / "b.duckdb", SECRET)
    other = world_warehouse(tmp_path / "c.duckdb", b"another-warehouse-secret")
    assert first == again  # a fresh warehouse, the same landing days and secret: the same tables
    assert partition(other["customer_map"]) == partition(first["customer_map"])
    assert issued(other) & issued(first) == set()  # the ids depend on the secret, every one of them


U1, O1 = node("unionid", "u1"), node("oa_openid", "o1")
U2, O2 = node("unionid", "u2", day=2), node("oa_openid", "o2", day=2)


def test_ids_issued_before_keying_are_kept_new_ones_are_keyed(pair):
    inc, full = pair
    legacy = next(iter(unkeyed("unionid", "u1")))  # sha1: what a warehouse built before keying holds
    for con in pair:
        load(con, [U1, O1], [strong(U1, O1)])
        run(con)
        con.execute("update identity.customer_map set customer_id = ?", [legacy])
        con.execute("update identity.customers set customer_id = ?", [legacy])
    _, ids, out = replay(pair, ([U1, O1, U2, O2], [strong(U1, O1), strong(U2, O2)]))
    assert ids[0][("unionid", "u1")] == ids[0][("oa_openid", "o1")] == legacy  # stable, as every id
    new = ids[0][("unionid", "u2")]
    assert new != legacy and out["changes"] == []
    assert new not in unkeyed("unionid", "u2") | unkeyed("oa_openid", "o2")
    run(full, incremental=False)  # a full recompute keeps it too: ids come from the previous map
    assert tables(full) == out
