"""Identity resolution paths on one warehouse's edges: time, and whether they agree.

Usage: python bench/identity_paths.py <warehouse.duckdb> [degree_cap]

Compares bare scipy csgraph, networkx, the default path (scipy + merge protection) and the portable
SQL path (min-label propagation + pointer jumping, same protection), mapping identifiers to
integers included for the default path. Run each path in its own process for peak-memory figures
(`/usr/bin/time -v`); here only wall time is printed.
"""

import sys
import time

import duckdb
import numpy as np

from identity.components import components, resolve
from identity.components_sql import components_sql
from identity.warehouse import UNIQUE_TYPES, _graph


def timed(label, fn):
    started = time.perf_counter()
    out = fn()
    print(f"{label:<40} {time.perf_counter() - started:8.2f} s")
    return out


def main(path: str, cap: int = 5) -> None:
    con = duckdb.connect(path, read_only=False)
    nodes, edges = timed("map identifiers to integers (DuckDB)", lambda: _graph(con))
    n = len(nodes)
    kind = np.asarray(edges["link_kind"], dtype=object)
    left, right = np.asarray(edges["left_idx"], np.int64), np.asarray(edges["right_idx"], np.int64)
    strong, phone = kind == "strong", kind == "phone"
    unique = {t: nodes.index[nodes["id_type"] == t].to_numpy(np.int64) for t in UNIQUE_TYPES}
    print(f"{n:,} identifiers, {len(left):,} links")
    timed("bare scipy csgraph", lambda: components(n, left, right))
    try:
        import networkx as nx

        def run_nx():
            graph = nx.Graph()
            graph.add_nodes_from(range(n))
            graph.add_edges_from(zip(left.tolist(), right.tolist(), strict=True))
            return list(nx.connected_components(graph))

        timed("networkx connected_components", run_nx)
    except ImportError:
        print("networkx not installed: skipped")
    a = timed("default: scipy + merge protection", lambda: resolve(
        n, (left[strong], right[strong]), (left[phone], right[phone]), unique, cap))
    b = timed("portable SQL + merge protection", lambda: resolve(
        n, (left[strong], right[strong]), (left[phone], right[phone]), unique, cap, components=components_sql))
    print("identical customers:", bool((a.labels == b.labels).all()) and a.rejected_phones == b.rejected_phones)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
