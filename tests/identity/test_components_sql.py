"""The portable SQL path gives exactly the scipy path's customers, on hand-made and simulated graphs,
in a number of rounds that grows with log n, whatever order the node ids are in."""

import math
import time

import numpy as np
import pytest
from component_graphs import CASES, path, relabel
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from identity.components import components, resolve
from identity.components_sql import components_sql, star_contraction


def scipy_labels(n, left, right):
    """The oracle: scipy's components, each labelled by its smallest node id."""
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(n, n))
    _, raw = connected_components(graph, directed=False)
    smallest = np.full(n, n)
    np.minimum.at(smallest, raw, np.arange(n))
    return smallest[raw]


def check(name, n, left, right):
    """Labels equal scipy's; the rounds taken, printed with the time (pytest -s shows them)."""
    started = time.perf_counter()
    labels, rounds = star_contraction(n, left, right)
    print(f"{name}: {rounds} rounds, {time.perf_counter() - started:.2f} s")
    assert labels.dtype == np.int64
    assert (labels == scipy_labels(n, left, right)).all()
    return rounds


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


def test_shuffled_path_takes_logarithmic_rounds():
    # min-label propagation took 143 rounds here (bench/identity_paths.py --graphs): one per ~3 nodes
    rounds = check("path 500, shuffled ids", *CASES["path 500, shuffled ids"]())
    assert rounds <= 2 * math.ceil(math.log2(500))


def test_permuted_ids_give_the_same_customers():
    rng = np.random.default_rng(11)
    n, m = 3_000, 2_500
    left, right = rng.integers(0, n, m), rng.integers(0, n, m)
    ids = rng.permutation(n)  # node i is called ids[i]
    check("random graph, permuted ids", n, ids[left], ids[right])
    before, after = components_sql(n, left, right), components_sql(n, ids[left], ids[right])[ids]
    # the same customers: each label before pairs with exactly one label after, and back
    pairs = set(zip(before.tolist(), after.tolist(), strict=True))
    assert len(pairs) == len(set(before.tolist())) == len(set(after.tolist()))


@pytest.mark.parametrize("name", [
    "path 20,000, ids in order", "path 20,000, zig-zag ids", "path 20,000, shuffled ids",
    "cycle 10,000, shuffled ids",
])
def test_long_paths_take_logarithmic_rounds(name):
    n, left, right = CASES[name]()
    assert check(name, n, left, right) <= 2 * math.ceil(math.log2(n))


def test_stars():
    # a star around its smallest id is already the answer: one round finds nothing to change
    assert check("star, centre smallest", *CASES["star 10,000, centre smallest id"]()) == 1
    # around its largest id: one small-star hangs every node on node 0, one round confirms it
    assert check("star, centre largest", *CASES["star 10,000, centre largest id"]()) == 2
    assert check("star of stars", *CASES["star of 100 stars of 100, shuffled"]()) <= 6


def test_many_small_components_and_isolated_nodes():
    # 24,196 components of 1 to 12 nodes (10,006 alone): every component is settled in a few rounds
    assert check("small components", *CASES["small components, 50,000 nodes"]()) <= 5


def test_nodes_without_links_keep_their_own_id():
    assert components_sql(0, np.zeros(0), np.zeros(0)).tolist() == []
    assert components_sql(4, np.zeros(0), np.zeros(0)).tolist() == [0, 1, 2, 3]
    # self-links and a repeated link: node 2 alone, 3 with 0
    labels = components_sql(5, np.array([1, 2, 3, 0]), np.array([1, 2, 0, 3]))
    assert labels.tolist() == [0, 1, 2, 0, 4]


def test_identity_shaped_graph():
    n, left, right = CASES["identity-shaped, 300,000 nodes"]()
    # min-label propagation stopped here with "did not converge in 64 rounds"
    assert check("identity-shaped 300k", n, left, right) <= 2 * math.ceil(math.log2(n))


def test_not_converging_within_the_budget_raises():
    n, left, right = relabel(*path(5_000), seed=9)
    with pytest.raises(RuntimeError, match="did not converge in 3 rounds"):
        components_sql(n, left, right, max_rounds=3)


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
