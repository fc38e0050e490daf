"""The SQL connected components that large-star / small-star replaced (identity/components_sql.py
before issue 16), kept only for bench/identity_paths.py to time against: min-label propagation with
pointer jumping. Rounds grow with a component's diameter when ids do not follow the graph (175 on a
500-node path with shuffled ids), and `range()` and `create or replace` are DuckDB's own.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa


def min_label_rounds(n: int, left: np.ndarray, right: np.ndarray, max_rounds: int):
    """(labels, rounds), or (None, max_rounds) when it has not converged by then."""
    con = duckdb.connect()
    try:
        edges = pa.table({"a": np.asarray(left, np.int64), "b": np.asarray(right, np.int64)})
        con.register("edge_input", edges)
        con.execute("create table edges as select a, b from edge_input union select b, a from edge_input")
        con.execute(f"create table labels as select range as node, range as label from range({n})")
        for rounds in range(1, max_rounds + 1):
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
                return con.execute("select label from labels order by node").fetchnumpy()["label"], rounds
        return None, max_rounds
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
