"""Graphs for the connected-components paths, seeded: each returns (n, left, right) int64 arrays.

`identity_shaped` mimics the identity graph (the 1 M-customer simulation: 3.1 M identifiers, 1.7 M
links, 1.46 M customers): mostly customers of a few identifiers, a fifth of identifiers linked to
nothing, and a few large components — a guide's phone typed into thousands of remarks (a hub), a
chain of family phones (a long path), noisy links joining many customers (a tree with cycles).
Node ids are a random permutation, as the warehouse's integer mapping is: nothing follows the
graph's shape. `CASES` are the shapes tests/identity/test_components_sql.py checks and
bench/identity_paths.py times (`--graphs`).
"""

from __future__ import annotations

import numpy as np


def _edges(a, b) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)


def relabel(n: int, left, right, seed: int) -> tuple[int, np.ndarray, np.ndarray]:
    """The same graph with node ids randomly permuted, edges shuffled and randomly oriented."""
    rng = np.random.default_rng(seed)
    ids = rng.permutation(n)
    order = rng.permutation(len(left))
    a, b = ids[np.asarray(left)[order]], ids[np.asarray(right)[order]]
    flip = rng.random(len(a)) < 0.5
    return n, *_edges(np.where(flip, b, a), np.where(flip, a, b))


def path(n: int) -> tuple[int, np.ndarray, np.ndarray]:
    return n, *_edges(np.arange(n - 1), np.arange(1, n))


def zigzag_path(n: int) -> tuple[int, np.ndarray, np.ndarray]:
    """A path whose ids alternate low and high: 0, n-1, 1, n-2, …"""
    ids = np.empty(n, dtype=np.int64)
    ids[0::2] = np.arange((n + 1) // 2)
    ids[1::2] = np.arange(n - 1, (n + 1) // 2 - 1, -1)
    return n, *_edges(ids[:-1], ids[1:])


def cycle(n: int) -> tuple[int, np.ndarray, np.ndarray]:
    return n, *_edges(np.arange(n), (np.arange(n) + 1) % n)


def star(n: int, centre: int) -> tuple[int, np.ndarray, np.ndarray]:
    leaves = np.delete(np.arange(n), centre)
    return n, *_edges(np.full(n - 1, centre), leaves)


def star_of_stars(hubs: int, leaves: int) -> tuple[int, np.ndarray, np.ndarray]:
    """Node 0 joined to `hubs` hubs, each with `leaves` leaves of its own."""
    hub_ids = np.arange(1, hubs + 1)
    leaf_ids = np.arange(hubs + 1, hubs + 1 + hubs * leaves)
    centres = np.concatenate([np.zeros(hubs, dtype=np.int64), np.repeat(hub_ids, leaves)])
    return len(leaf_ids) + hubs + 1, *_edges(centres, np.concatenate([hub_ids, leaf_ids]))


def random_trees(sizes: np.ndarray, rng: np.random.Generator, start: int = 0):
    """One random recursive tree per size, on consecutive ids from `start`: node j of a tree joins
    one of the j nodes before it."""
    first = start + np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rank = np.arange(sizes.sum()) - np.repeat(first - start, sizes)  # position inside its tree
    child = (start + np.arange(sizes.sum()))[rank > 0]
    rank = rank[rank > 0]
    parent = child - rank + (rng.random(len(rank)) * rank).astype(np.int64)
    return _edges(parent, child)


def small_components(n: int, seed: int, isolated: float = 0.2) -> tuple[int, np.ndarray, np.ndarray]:
    """Components of 2–12 nodes (mostly 2–3) on (1 - isolated) of n nodes; the rest in no edge."""
    rng = np.random.default_rng(seed)
    sizes = np.minimum(2 + rng.geometric(0.55, size=n) - 1, 12)
    sizes = sizes[np.cumsum(sizes) <= n * (1 - isolated)]
    return relabel(n, *random_trees(sizes, rng), seed=seed)


def identity_shaped(n: int = 300_000, seed: int = 16) -> tuple[int, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    hub, chain, noisy = 3_000, 1_000, 20_000
    # node 0 a hub with leaves 1‥hub; then a chain of `chain` nodes
    a = [np.zeros(hub, dtype=np.int64), np.arange(hub + 1, hub + chain)]
    b = [np.arange(1, hub + 1), np.arange(hub + 2, hub + chain + 1)]
    start = hub + chain + 1
    tree_a, tree_b = random_trees(np.array([noisy]), rng, start)   # noisy links: a tree…
    extra = start + rng.integers(0, noisy, size=(2, noisy // 10))  # …and cycles through it
    a += [tree_a, extra[0]]
    b += [tree_b, extra[1]]
    start += noisy
    sizes = np.minimum(2 + rng.geometric(0.55, size=n) - 1, 12)
    sizes = sizes[start + np.cumsum(sizes) <= 0.8 * n]              # a fifth of ids in no link
    small_a, small_b = random_trees(sizes, rng, start)
    repeat = rng.random(len(small_a)) < 0.05                        # one link seen in two records
    a += [small_a, small_a[repeat]]
    b += [small_b, small_b[repeat]]
    return relabel(n, np.concatenate(a), np.concatenate(b), seed=seed)


CASES = {
    "path 500, shuffled ids": lambda: relabel(*path(500), seed=1),
    "path 20,000, ids in order": lambda: path(20_000),
    "path 20,000, zig-zag ids": lambda: zigzag_path(20_000),
    "path 20,000, shuffled ids": lambda: relabel(*path(20_000), seed=2),
    "cycle 10,000, shuffled ids": lambda: relabel(*cycle(10_000), seed=3),
    "star 10,000, centre smallest id": lambda: star(10_000, 0),
    "star 10,000, centre largest id": lambda: star(10_000, 9_999),
    "star of 100 stars of 100, shuffled": lambda: relabel(*star_of_stars(100, 100), seed=4),
    "small components, 50,000 nodes": lambda: small_components(50_000, seed=5),
    "identity-shaped, 300,000 nodes": identity_shaped,
}
