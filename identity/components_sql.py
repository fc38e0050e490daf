"""Connected components in plain SQL: min-label propagation with pointer jumping.

The same labels as `components.components` (each node labelled with the smallest node id of its
component), computed with joins and group-bys only, so the identity graph can move to an engine
without scipy (Spark SQL, a cloud warehouse). Each round:

1. propagation: a node takes the smallest label among itself and its neighbours;
2. pointer jumping: a node takes its label's label, repeated until stable, which halves path
   lengths each time — a 1,000-node chain settles in ~10 rounds instead of ~1,000.

Rounds stop when no label changes, or at `max_rounds` (then it raises: a wrong customer count is
worse than none).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

MAX_ROUNDS = 64


def components_sql(n: int, left: np.ndarray, right: np.ndarray, max_rounds: int = MAX_ROUNDS) -> np.ndarray:
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    con = duckdb.connect()
    try:
        edges = pa.table({"a": np.asarray(left, np.int64), "b": np.asarray(right, np.int64)})
        con.register("edge_input", edges)
        con.execute("create table edges as select a, b from edge_input union select b, a from edge_input")
        con.execute(f"create table labels as select range as node, range as label from range({n})")
        for _ in range(max_rounds):
            con.execute("""
                create or replace table proposed as
                select labels.node, least(labels.label, coalesce(min(neighbour.label), labels.label)) as label
                from labels
                left join edges on edges.a = labels.node
                left join labels as neighbour on neighbour.node = edges.b
                group by labels.node, labels.label
            """)
            _jump(con)
            changed = con.execute("""
                select count(*) from proposed inner join labels using (node)
                where proposed.label != labels.label
            """).fetchone()[0]
            con.execute("create or replace table labels as select * from proposed")
            if changed == 0:
                labels = con.execute("select label from labels order by node").fetchnumpy()["label"]
                return labels.astype(np.int64)
        raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
    finally:
        con.close()


def _jump(con: duckdb.DuckDBPyConnection) -> None:
    """Pointer jumping on `proposed`: label ← label's label, until nothing moves."""
    while True:
        con.execute("""
            create or replace table jumped as
            select proposed.node, least(proposed.label, parent.label) as label
            from proposed inner join proposed as parent on parent.node = proposed.label
        """)
        moved = con.execute("""
            select count(*) from jumped inner join proposed using (node) where jumped.label != proposed.label
        """).fetchone()[0]
        con.execute("create or replace table proposed as select * from jumped")
        if moved == 0:
            return
