"""Identity resolution paths on one warehouse's edges: time, peak memory, and whether they agree.

Usage: python bench/identity_paths.py <warehouse.duckdb> [degree_cap]
       python bench/identity_paths.py --graphs [old_max_rounds]

The warehouse must hold intermediate.int_identity__links / __nodes (dbt has built them). Each path
runs in its own fresh process, so its memory is its own (peak RSS of the mapping, then of the
components step alone: the kernel's peak is reset between them); every process first maps identifiers
to integers (read from DuckDB as Arrow) and finds the nodes of each unique type, which is timed
separately and counted in the default path's total, as the nightly step pays it. The component
time ends with the number of components (networkx counts its own; the others count the nodes
labelled with their own id — each component is labelled by its smallest node):

  bare scipy     scipy.sparse.csgraph.connected_components on all links, no protection
  networkx       nx.Graph + connected_components on the same links, no protection
  default        scipy + merge protection (degree cap, unique-type veto) — what runs nightly
  portable SQL   large-star / small-star in DuckDB (identity/components_sql.py), same protection

`--graphs` needs no warehouse: on each graph of tests/identity/component_graphs.py (shuffled paths,
stars, small components, a 300,000-node identity-shaped graph), run once, the portable SQL's rounds
and seconds beside those of the min-label propagation it replaced (bench/min_label_sql.py; stopped
after old_max_rounds, default 256), both checked against scipy.
"""

import multiprocessing as mp
import sys
import time
from pathlib import Path

import numpy as np

PATHS = ("bare scipy", "networkx", "default", "portable SQL")
ROOT = Path(__file__).resolve().parent.parent


def _rss_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak since the last reset) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Start a new peak-RSS window (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _run(path: str, warehouse: str, cap: int, out) -> None:
    import duckdb

    from identity.components import components, count_components, resolve
    from identity.components_sql import components_sql
    from identity.warehouse import graph_arrays
    from orchestration.settings import identity_rules

    started = time.perf_counter()
    with duckdb.connect(warehouse, read_only=True) as con:
        rules = identity_rules()
        n, edges, unique, accounts = graph_arrays(con, rules["unique_types"], rules["account_groups"])
    kind = np.asarray(edges["link_kind"], dtype=object)
    left, right = np.asarray(edges["left_idx"], np.int64), np.asarray(edges["right_idx"], np.int64)
    mapped = time.perf_counter() - started
    map_peak, held = _rss_mb("VmHWM"), _rss_mb("VmRSS")
    windowed = _reset_peak()
    started = time.perf_counter()
    if path == "bare scipy":
        customers = count_components(components(n, left, right))
    elif path == "networkx":
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from(zip(left.tolist(), right.tolist(), strict=True))
        customers = nx.number_connected_components(graph)
    else:
        strong, phone = kind == "strong", kind == "phone"
        result = resolve(
            n,
            (left[strong], right[strong]),
            (left[phone], right[phone]),
            unique,
            cap,
            account_nodes=accounts,
            **({"components": components_sql} if path == "portable SQL" else {}),
        )
        customers = count_components(result.labels)
        np.save(f"/tmp/identity_paths_{path.replace(' ', '_')}.npy", result.labels)
    seconds = time.perf_counter() - started
    # Peak of the components step alone, and what it adds on top of the arrays it was given.
    peak = _rss_mb("VmHWM") if windowed else float("nan")
    out.put((path, n, len(left), mapped, map_peak, seconds, peak, peak - held, customers))


def main(warehouse: str, cap: int = 5) -> None:
    ctx = mp.get_context("spawn")
    rows = {}
    for path in PATHS:
        queue = ctx.Queue()
        proc = ctx.Process(target=_run, args=(path, warehouse, cap, queue))
        proc.start()
        rows[path] = queue.get()
        proc.join()
        _, n, links, mapped, map_peak, seconds, peak, added, customers = rows[path]
        print(
            f"{path:<14} map {mapped:5.1f} s (peak RSS {map_peak:5.0f} MB)   components {seconds:6.1f} s "
            f"(peak RSS {peak:5.0f} MB, +{added:5.0f} MB)   "
            f"{customers:,} components ({n:,} identifiers, {links:,} links)",
            flush=True,
        )
    default, nx_row, bare = rows["default"], rows["networkx"], rows["bare scipy"]
    total = default[3] + default[5]
    speedup = nx_row[5] / default[5]
    end_to_end = (nx_row[3] + nx_row[5]) / total
    print(
        f"default incl. mapping {total:.1f} s: {speedup:.1f}x faster than networkx's components, "
        f"{end_to_end:.1f}x end to end; {total / (bare[3] + bare[5]):.2f}x bare scipy's time"
    )
    a = np.load("/tmp/identity_paths_default.npy")
    b = np.load("/tmp/identity_paths_portable_SQL.npy")
    print("default and portable SQL give identical customers:", bool((a == b).all()))


def graphs(old_max_rounds: int = 256) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "identity"))
    from component_graphs import CASES
    from min_label_sql import min_label_rounds

    from identity.components import components
    from identity.components_sql import star_contraction

    print(f"{'graph':<36} {'nodes':>8} {'links':>8}   {'min-label (old)':<26} large/small-star (new)")
    for name, build in CASES.items():
        n, left, right = build()
        truth = components(n, left, right)
        started = time.perf_counter()
        old, old_rounds = min_label_rounds(n, left, right, old_max_rounds)
        old_seconds = time.perf_counter() - started
        started = time.perf_counter()
        new, new_rounds = star_contraction(n, left, right)
        new_seconds = time.perf_counter() - started
        assert (new == truth).all() and (old is None or (old == truth).all())
        stopped = "not converged" if old is None else ""
        print(
            f"{name:<36} {n:>8,} {len(left):>8,}   {old_rounds:>4} rounds {old_seconds:6.1f} s "
            f"{stopped:<13}{new_rounds:>3} rounds {new_seconds:5.1f} s",
            flush=True,
        )


if __name__ == "__main__":
    if sys.argv[1] == "--graphs":
        graphs(*(int(arg) for arg in sys.argv[2:3]))
    else:
        main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
