"""Identity resolution paths on one warehouse's edges: time, peak memory, and whether they agree.

Usage: python bench/identity_paths.py <warehouse.duckdb> [degree_cap]

The warehouse must hold intermediate.int_identity__links / __nodes (dbt has built them). Each path
runs in its own fresh process, so its peak RSS is its own; every process first maps identifiers
to integers (read from DuckDB as Arrow), which is timed separately and counted in the default
path's total, as the nightly step pays it:

  bare scipy     scipy.sparse.csgraph.connected_components on all links, no protection
  networkx       nx.Graph + connected_components on the same links, no protection
  default        scipy + merge protection (degree cap, unique-type veto) — what runs nightly
  portable SQL   min-label propagation + pointer jumping in DuckDB, same protection
"""

import multiprocessing as mp
import resource
import sys
import time

import numpy as np

PATHS = ("bare scipy", "networkx", "default", "portable SQL")


def _run(path: str, warehouse: str, cap: int, out) -> None:
    import duckdb

    from identity.components import components, resolve
    from identity.components_sql import components_sql
    from identity.warehouse import _graph
    from orchestration.settings import dbt_vars

    started = time.perf_counter()
    with duckdb.connect(warehouse, read_only=True) as con:
        nodes, edges = _graph(con)
    n = len(nodes)
    kind = np.asarray(edges["link_kind"], dtype=object)
    left, right = np.asarray(edges["left_idx"], np.int64), np.asarray(edges["right_idx"], np.int64)
    mapped = time.perf_counter() - started
    started = time.perf_counter()
    if path == "bare scipy":
        labels = components(n, left, right)
        customers = len(np.unique(labels))
    elif path == "networkx":
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from(zip(left.tolist(), right.tolist(), strict=True))
        customers = nx.number_connected_components(graph)
    else:
        strong, phone = kind == "strong", kind == "phone"
        types = dbt_vars()["identity_unique_types"]
        unique = {t: nodes.index[nodes["id_type"] == t].to_numpy(np.int64) for t in types}
        result = resolve(
            n,
            (left[strong], right[strong]),
            (left[phone], right[phone]),
            unique,
            cap,
            **({"components": components_sql} if path == "portable SQL" else {}),
        )
        customers = len(np.unique(result.labels))
        np.save(f"/tmp/identity_paths_{path.replace(' ', '_')}.npy", result.labels)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put((path, n, len(left), mapped, seconds, peak, customers))


def main(warehouse: str, cap: int = 5) -> None:
    ctx = mp.get_context("spawn")
    rows = {}
    for path in PATHS:
        queue = ctx.Queue()
        proc = ctx.Process(target=_run, args=(path, warehouse, cap, queue))
        proc.start()
        rows[path] = queue.get()
        proc.join()
        _, n, links, mapped, seconds, peak, customers = rows[path]
        print(
            f"{path:<14} map {mapped:7.1f} s   components {seconds:8.1f} s   peak RSS {peak:7.0f} MB   "
            f"{customers:,} components ({n:,} identifiers, {links:,} links)",
            flush=True,
        )
    default, nx_row, bare = rows["default"], rows["networkx"], rows["bare scipy"]
    total = default[3] + default[4]
    speedup = nx_row[4] / default[4]
    end_to_end = (nx_row[3] + nx_row[4]) / total
    print(
        f"default incl. mapping {total:.1f} s: {speedup:.1f}x faster than networkx's components, "
        f"{end_to_end:.1f}x end to end; {total / (bare[3] + bare[4]):.2f}x bare scipy's time"
    )
    a = np.load("/tmp/identity_paths_default.npy")
    b = np.load("/tmp/identity_paths_portable_SQL.npy")
    print("default and portable SQL give identical customers:", bool((a == b).all()))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
