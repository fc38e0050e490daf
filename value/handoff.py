"""The CLV fit handed to a worker process while dbt goes on building (`siyu run`).

The fit (~3 s of a demo night: two MAP fits, predictions and the holdout calibration) reads only the
purchases of user_assets' customers and the as-of date, which dbt has built long before its step ends.
The rest of that step, ~8 s of models and tests, keeps one core busy; the other was idle. So dbt
writes what the fit reads, as the view intermediate.int_value__clv_purchases is built, to a Parquet
file beside the warehouse (its post-hook, macro clv_handoff: the warehouse itself stays locked by
dbt's process); `siyu run`'s dbt step, seeing that model done in dbt's event stream, sends the file
to a worker process (orchestration/worker.py) that imported pymc-marketing meanwhile; the worker fits
exactly as the CLV step does (value.warehouse.fit_clv).

The CLV step then takes the answer, but only after checking in the warehouse that what was fitted
is what it would read itself: the same number of purchases, the same digest of their rows and the
same as-of date. Otherwise (or with no answer: runs from the UI, the schedule, Spark) it fits in its
own process, as before. The file is removed by the CLV step, and by the night as it ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from value.warehouse import PURCHASES, Fitted, fit_clv

NAME = "clv"  # the worker's name among a night's workers
FIT = "value.handoff:fit"
SUFFIX = ".clv-handoff.parquet"
MODEL = "int_value__clv_purchases"  # the view the post-hook writes
# order-free: a sum of row hashes, with the count
DIGEST = ("select count(*), coalesce(sum(hash(customer_id, purchase_date, net_amount)::hugeint), 0) "
          "from ({})")


def handoff_path(warehouse: str | Path) -> Path:
    """Where dbt's post-hook writes (dbt_project/macros/clv_handoff.sql: the warehouse's path, suffixed)."""
    return Path(f"{warehouse}{SUFFIX}")


@dataclass
class Handed:
    """The worker's answer: what it fitted, and what from."""

    digest: tuple[int, int]
    fitted: Fitted

    def matches(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Whether the warehouse holds what was fitted: the CLV step's own purchases and as-of date."""
        as_of = con.execute("select last_date from intermediate.int_calendar__bounds").fetchone()[0]
        digest = tuple(con.execute(DIGEST.format(PURCHASES)).fetchone())
        return as_of == self.fitted.as_of and digest == self.digest


def fit(path: str, holdout_days: int) -> Handed | None:
    """In the worker: fit_clv on the purchases in the file; None when it holds none (no as-of date to
    fit at: the step does it all)."""
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        source, file = "select * from read_parquet($file)", {"file": path}
        digest = tuple(con.execute(DIGEST.format(source), file).fetchone())
        if digest[0] == 0:
            return None
        as_of = con.execute(f"select max(as_of_date) from ({source})", file).fetchone()[0]
        # in PURCHASES' order: the fit sums floats, and the same rows in another order could differ
        purchases = con.execute(
            f"select customer_id, purchase_date, net_amount from ({source}) order by all", file).df()
    return Handed(digest, fit_clv(purchases, as_of, holdout_days))
