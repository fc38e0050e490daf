"""Connected components over integer node ids, with merge protection.

Identifiers are mapped to integers in the warehouse first; here only int arrays move. The graph has
two kinds of edges: *strong* ones that name the same account on two platforms (unionid–openid,
unionid–external_userid, a fission row naming an invitee's unionid and external_userid) and
*phone* edges (an account–phone hash).

No link of either kind may put two values of a unique type into one customer (a person has at most
one unionid and, per corp, at most one external_userid). Strong links are settled first
(`strong_vetoes`), then phones. Phones are dirty: family members share them and staff type their
own into customers' remarks. So a phone links only if

- it touches at most `degree_cap` otherwise-separate strong components (else: over-shared), and
- the component it would create holds at most one value of each unique type — the unique-type veto;
- and at most one *account* of each account group: a group names identifier types that strong links
  tie into one account (unionid with its OA and mini program openids is one WeChat account), so a
  mini program openid with no unionid, joined by a phone to a different unionid, is a second WeChat
  account — a family member on a shared phone. Each strong component holding a type of the group
  counts as one value of the group.

Vetoes are decided in rounds: a phone whose own neighbourhood already conflicts is rejected first;
then chains of individually harmless phones that together join two unionids are found in the
combined components, and every phone bridging strong components inside such a component is
rejected. Two or three rounds settle real data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

MAX_ROUNDS = 10


def distinct(values: np.ndarray, return_counts: bool = False):
    """Sorted distinct values (and how often each occurs). np.unique's default path hashes, which is
    ~10x slower than sorting on millions of int64 ids; this always sorts."""
    ordered = np.sort(values)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1]))) if len(ordered) else \
        np.zeros(0, dtype=np.int64)
    if not return_counts:
        return ordered[starts]
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


def count_components(labels: np.ndarray) -> int:
    """Number of components in labels from `components` (each labelled by its smallest node id)."""
    return int(np.count_nonzero(labels == np.arange(len(labels))))


def components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Label of each node 0..n-1: the smallest node id of its component (so labels are stable)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    data = np.ones(len(left), dtype=np.int8)
    graph = coo_matrix((data, (left, right)), shape=(n, n)).tocsr()
    _, raw = connected_components(graph, directed=False)
    smallest = np.full(raw.max() + 1, n, dtype=np.int64)
    np.minimum.at(smallest, raw, np.arange(n, dtype=np.int64))
    return smallest[raw]


@dataclass
class Resolution:
    labels: np.ndarray            # component label per node
    rejected_phones: dict[int, str]  # phone node -> reason (all its links rejected: nobody's identifier)
    cut_accounts: dict[int, str] = field(default_factory=dict)  # node -> reason its strong links were cut


def _conflicting_labels(labels: np.ndarray, unique_nodes: dict[str, np.ndarray]) -> np.ndarray:
    """Component labels holding two or more distinct values of any unique type."""
    bad = np.zeros(len(labels), dtype=bool)
    for nodes in unique_nodes.values():
        bad |= np.bincount(labels[nodes], minlength=len(labels)) > 1  # unique nodes are distinct values
    return np.flatnonzero(bad)


def strong_vetoes(n: int, strong: tuple[np.ndarray, np.ndarray], unique_nodes: dict[str, np.ndarray],
                  components=components) -> tuple[np.ndarray, dict[int, str], np.ndarray]:
    """Which strong edges link (a bool per edge), the identifiers whose strong links were cut, and the
    components of the linking edges.

    An identifier whose strong neighbours hold two values of a unique type — a unionid WeCom gives two
    contacts of the corp, a contact named with two unionids — loses its links to them and keeps the
    others (`unique_type_veto:<type>`): which one is right cannot be told, so neither is chosen. Two
    values no single identifier sits between (once a type is left out of the unique types) are cut
    loose (`unique_type_veto:chain`). Each round cuts an edge, so rounds end; one settles real data."""
    left, right = strong
    keep = np.ones(len(left), dtype=bool)
    cut: dict[int, str] = {}
    kinds = list(unique_nodes)
    kind_of = np.full(n, -1, dtype=np.int64)  # index of the node's unique type, -1 if none
    for k, nodes in enumerate(unique_nodes.values()):
        kind_of[nodes] = k
    while True:
        labels = components(n, left[keep], right[keep])
        bad = _conflicting_labels(labels, unique_nodes)
        if len(bad) == 0:
            return keep, cut, labels
        inside = np.flatnonzero(keep)
        inside = inside[np.isin(labels[left[inside]], bad)]  # linking edges of conflicting components
        a, b = left[inside], right[inside]
        # (node, unique type of a neighbour) keys; a key met with two distinct neighbours is a bridge
        ends, others = np.concatenate([a, b]), np.concatenate([b, a])
        typed = kind_of[others] >= 0
        pairs = distinct(ends[typed] * n + others[typed])
        keys, counts = distinct((pairs // n) * len(kinds) + kind_of[pairs % n], return_counts=True)
        bridges = keys[counts > 1]
        if len(bridges):
            for key in bridges.tolist():
                cut.setdefault(key // len(kinds), f"unique_type_veto:{kinds[key % len(kinds)]}")
            doomed = ((kind_of[b] >= 0) & np.isin(a * len(kinds) + kind_of[b], bridges)) | (
                (kind_of[a] >= 0) & np.isin(b * len(kinds) + kind_of[a], bridges))
        else:
            victims = np.zeros(n, dtype=bool)
            for nodes in unique_nodes.values():
                crowded = np.bincount(labels[nodes], minlength=n) > 1
                victims[nodes[crowded[labels[nodes]]]] = True
            for node in np.flatnonzero(victims).tolist():
                cut.setdefault(node, "unique_type_veto:chain")
            doomed = victims[a] | victims[b]
        keep[inside[doomed]] = False


def _touched_components(base: np.ndarray, accounts: np.ndarray, phones: np.ndarray):
    """Distinct (phone, strong component) pairs, and per phone how many strong components it touches."""
    n = len(base)
    keys = distinct(phones * n + base[accounts])  # one int64 per pair: sorts ~50x faster than rows
    pairs = np.stack([keys // n, keys % n], axis=1)
    phone_ids, touched = distinct(pairs[:, 0], return_counts=True)
    return pairs, phone_ids, touched


def over_shared(n: int, strong: tuple[np.ndarray, np.ndarray], phone_edges: tuple[np.ndarray, np.ndarray],
                degree_cap: int, components=components) -> np.ndarray:
    """Phones `resolve` rejects as over-shared, before anything else: they touch more than `degree_cap`
    strong components. Their edges never link, so they decide nothing for other nodes. Counted here
    before the strong vetoes: those only split components, so each phone found is over-shared in
    `resolve` too (which may find a few more)."""
    _, phone_ids, touched = _touched_components(components(n, *strong), *phone_edges)
    return phone_ids[touched > degree_cap]


def resolve(
    n: int,
    strong: tuple[np.ndarray, np.ndarray],
    phone_edges: tuple[np.ndarray, np.ndarray],
    unique_nodes: dict[str, np.ndarray],
    degree_cap: int,
    components=components,
    account_nodes: dict[str, np.ndarray] | None = None,
) -> Resolution:
    """phone_edges: (account node, phone node) pairs. unique_nodes: per unique type, its nodes.
    account_nodes: per account group, the nodes of its types.
    `components` computes the labels: scipy by default, or `components_sql.components_sql`."""
    linking, cut, base = strong_vetoes(n, strong, unique_nodes, components)
    strong_left, strong_right = strong[0][linking], strong[1][linking]
    # One node stands for each account (strong component) of a group: a value of a unique type.
    group_accounts = {group: distinct(base[nodes]) for group, nodes in (account_nodes or {}).items()}
    unique_nodes = {**unique_nodes, **group_accounts}
    accounts, phones = phone_edges
    rejected: dict[int, str] = {}
    if len(phones) == 0:
        return Resolution(base, rejected, cut)

    pairs, phone_ids, touched = _touched_components(base, accounts, phones)
    for p in phone_ids[touched > degree_cap]:
        rejected[int(p)] = "over_shared"

    # Direct conflicts: the phone's own neighbourhood holds two unionids (or external_userids).
    for kind, nodes in unique_nodes.items():
        if len(nodes) == 0:
            continue
        values_per_comp = np.bincount(base[nodes], minlength=n)  # unique nodes are distinct values
        per_phone = np.bincount(pairs[:, 0], weights=values_per_comp[pairs[:, 1]], minlength=n)
        for p in np.flatnonzero(per_phone > 1):
            rejected.setdefault(int(p), f"unique_type_veto:{kind}")

    for _ in range(MAX_ROUNDS):
        is_rejected = np.zeros(n, dtype=bool)
        is_rejected[np.fromiter(rejected.keys(), dtype=np.int64, count=len(rejected))] = True
        keep = ~is_rejected[phones]
        labels = components(
            n,
            np.concatenate([strong_left, accounts[keep]]),
            np.concatenate([strong_right, phones[keep]]),
        )
        bad = _conflicting_labels(labels, unique_nodes)
        if len(bad) == 0:
            return Resolution(labels, rejected, cut)
        # Chains: reject every kept phone inside a conflicting component that bridges strong components.
        bridging = phone_ids[touched > 1]
        is_bad = np.zeros(n, dtype=bool)
        is_bad[bad] = True
        culprits = bridging[is_bad[labels[bridging]]]
        new = [int(p) for p in culprits if int(p) not in rejected]
        if not new:
            return Resolution(labels, rejected, cut)  # nothing left to cut
        for p in new:
            rejected[p] = "unique_type_veto:chain"
    return Resolution(labels, rejected, cut)
