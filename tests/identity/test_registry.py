"""Stable ids: the same customer keeps its id; merges keep the oldest; splits get new ids."""

import pandas as pd

from identity.registry import assign_ids

T = pd.Timestamp


def nodes(rows):
    return pd.DataFrame(rows, columns=["id_type", "id_value", "first_seen_at", "label"])


EMPTY_MAP = pd.DataFrame(columns=["id_type", "id_value", "customer_id"])
EMPTY_CUSTOMERS = pd.DataFrame(columns=["customer_id", "first_seen_at"])
SECRET = b"registry-test-secret"


def test_fresh_run_is_deterministic_and_unchanged_rerun_keeps_ids():
    n = nodes(
        [
            ("unionid", "u1", T("2026-01-01", tz="UTC"), 0),
            ("openid", "o1", T("2026-01-02", tz="UTC"), 0),
            ("unionid", "u2", T("2026-01-03", tz="UTC"), 2),
        ]
    )
    m1, c1, ch1 = assign_ids(n, EMPTY_MAP, EMPTY_CUSTOMERS, secret=SECRET)
    m2, c2, ch2 = assign_ids(n, EMPTY_MAP, EMPTY_CUSTOMERS, secret=SECRET)
    assert m1.equals(m2) and ch1.empty
    assert m1.customer_id.nunique() == 2
    m3, _, ch3 = assign_ids(n, m1, c1, secret=SECRET)
    assert m3.sort_values("id_value").customer_id.tolist() == m1.sort_values("id_value").customer_id.tolist()
    assert ch3.empty


def test_merge_keeps_oldest_id():
    prev = pd.DataFrame(
        [("unionid", "u1", "c_old"), ("unionid", "u2", "c_young")],
        columns=["id_type", "id_value", "customer_id"],
    )
    cust = pd.DataFrame(
        [("c_old", T("2026-01-01", tz="UTC")), ("c_young", T("2026-03-01", tz="UTC"))],
        columns=["customer_id", "first_seen_at"],
    )
    n = nodes(
        [("unionid", "u1", T("2026-01-01", tz="UTC"), 0), ("unionid", "u2", T("2026-03-01", tz="UTC"), 0)]
    )
    m, c, ch = assign_ids(n, prev, cust, secret=SECRET)
    assert set(m.customer_id) == {"c_old"}
    assert ch.values.tolist() == [["merge", "c_young", "c_old"]]


def test_split_gives_new_ids_to_every_part():
    prev = pd.DataFrame(
        [("phone", "h1", "c_x"), ("yz_open_id", "y1", "c_x")], columns=["id_type", "id_value", "customer_id"]
    )
    cust = pd.DataFrame([("c_x", T("2026-01-01", tz="UTC"))], columns=["customer_id", "first_seen_at"])
    n = nodes(
        [("phone", "h1", T("2026-01-01", tz="UTC"), 0), ("yz_open_id", "y1", T("2026-01-02", tz="UTC"), 1)]
    )
    m, c, ch = assign_ids(n, prev, cust, secret=SECRET)
    assert m.customer_id.nunique() == 2 and "c_x" not in set(m.customer_id)
    assert sorted(ch.change_type) == ["split", "split"] and set(ch.old_customer_id) == {"c_x"}


def test_a_new_id_is_never_one_issued_before():
    # u1 anchored a customer that was merged away in an earlier run; u1 now arrives alone again.
    n = nodes(
        [("unionid", "u1", T("2026-01-01", tz="UTC"), 0), ("unionid", "u2", T("2026-01-02", tz="UTC"), 1)]
    )
    first, _, _ = assign_ids(n, EMPTY_MAP, EMPTY_CUSTOMERS, secret=SECRET)
    retired = first.customer_id[0]
    def issued(ids):
        return {retired} & set(ids)

    again, customers, _ = assign_ids(n, EMPTY_MAP, EMPTY_CUSTOMERS, issued=issued, secret=SECRET)
    assert retired not in set(again.customer_id) and again.customer_id.nunique() == 2
    assert again.customer_id[1] == first.customer_id[1]  # u2's id was free: unchanged
    repeat, _, _ = assign_ids(n, EMPTY_MAP, EMPTY_CUSTOMERS, issued=issued, secret=SECRET)
    assert repeat.customer_id.tolist() == again.customer_id.tolist()  # deterministic
