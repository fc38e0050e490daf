"""The portable SQL path gives exactly the scipy path's customers, on hand-made and simulated graphs."""

import numpy as np

from identity.components import components, resolve
from identity.components_sql import components_sql


def test_long_chain_and_isolated_nodes():
    n = 1_200
    left = np.arange(0, 999, dtype=np.int64)   # a 1,000-node chain 0-1-…-999, then isolated nodes
    right = left + 1
    labels = components_sql(n, right[::-1], left[::-1])
    assert (labels[:1000] == 0).all() and (labels[1000:] == np.arange(1000, n)).all()


def test_random_graphs_match_scipy():
    rng = np.random.default_rng(3)
    for n, m in ((50, 30), (2_000, 1_500), (5_000, 6_000)):
        left, right = rng.integers(0, n, m), rng.integers(0, n, m)
        assert (components_sql(n, left, right) == components(n, left, right)).all()


def test_merge_protection_gives_identical_customers_on_either_path():
    rng = np.random.default_rng(8)
    n = 3_000
    strong = (rng.integers(0, 2_000, 1_200), rng.integers(0, 2_000, 1_200))
    phones = (rng.integers(0, 2_000, 900), rng.integers(2_000, n, 900))
    unique = {"unionid": rng.choice(2_000, 300, replace=False)}
    scipy_path = resolve(n, strong, phones, unique, degree_cap=3)
    sql_path = resolve(n, strong, phones, unique, degree_cap=3, components=components_sql)
    assert (scipy_path.labels == sql_path.labels).all()
    assert scipy_path.rejected_phones == sql_path.rejected_phones
