"""marts.rfm_* against an independent pandas recomputation on random purchases.

The RFM models only read intermediate.int_purchases and intermediate.int_calendar__bounds, so the test
makes those two tables by hand (random, fixed seed, amounts from a short list so that monetary,
frequency and recency tie often), builds the seeds and the RFM models with dbt — their unit and data
tests included — and recomputes every row of marts.rfm_scores with pandas: rank(method="min") for the
tie-aware ranks, fractions for the means and the super-user cut. Run twice: default vars (month-end
snapshots, all history) and daily snapshots over a 45-day RFM window.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from dbt_support import DBT_DIR, failures, run_dbt

pytestmark = pytest.mark.build  # dbt builds models on a small warehouse

FIRST_DAY, DAYS, LAST_LOADED = date(2023, 11, 20), 160, date(2024, 5, 2)
AMOUNTS_CENTS = [990, 1990, 3990, 9900, 19900, 29950]
VAR_SETS = {
    "month_all_history": {},
    "day_45_day_window": {"rfm_snapshot_grain": "day", "rfm_window_days": 45},
}


def make_purchases(seed: int = 20240331, count: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = [FIRST_DAY + timedelta(days=int(d)) for d in rng.integers(0, DAYS, count)]
    return pd.DataFrame({
        "customer_id": [f"c{n:03d}" for n in rng.integers(0, 90, count)],
        "order_key": [f"youzan:T{n}" for n in range(count)],
        "purchase_date": dates,
        "cents": rng.choice(AMOUNTS_CENTS, count),
    })


def load_inputs(path: Path, purchases: pd.DataFrame) -> None:
    con = duckdb.connect(str(path))
    con.register("generated", purchases)
    con.execute("create schema intermediate")
    con.execute("""
        create table intermediate.int_purchases as
        select customer_id, order_key,
            cast(cast(purchase_date as varchar) || ' 12:00:00+08' as timestamptz) as purchase_at,
            cast(purchase_date as date) as purchase_date,
            cast(cents / 100 as decimal(18, 2)) as net_amount
        from generated""")
    con.execute(f"create table intermediate.int_calendar__bounds as "
                f"select date '{FIRST_DAY}' as first_date, date '{LAST_LOADED}' as last_date, "
                f"timezone('Asia/Shanghai', timestamp '{FIRST_DAY}') as loaded_from_at, "
                f"timezone('Asia/Shanghai', date '{LAST_LOADED}' + 1) as loaded_until_at")
    con.close()


@pytest.fixture(scope="module", params=list(VAR_SETS))
def built(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    warehouse, purchases = tmp / "warehouse.duckdb", make_purchases()
    load_inputs(warehouse, purchases)
    variables = VAR_SETS[request.param]
    result = run_dbt(tmp, warehouse, [
        "build", "--indirect-selection", "buildable",
        "--select", "resource_type:seed", "intermediate.rfm", "marts.rfm",
        # rfm's inputs are hand-made tables here; user_assets, which relationships read, is not built
        "--exclude", "test_name:relationships", "--vars", str(variables),
    ])
    assert result.success, result.exception or failures(result)
    con = duckdb.connect(str(warehouse))
    yield purchases, variables, lambda sql: con.execute(sql).df()
    con.close()


def snapshot_dates(purchases: pd.DataFrame, grain: str) -> list[date]:
    days = pd.date_range(min(purchases.purchase_date), LAST_LOADED).date
    history = days if grain == "day" else [d for d in days if (d + timedelta(days=1)).day == 1]
    return sorted(set(history) | {LAST_LOADED})


def score(ranks: pd.Series, n: int) -> pd.Series:
    return ranks.astype(int).map(lambda rank: 1 if n == 1 else min(5, 1 + 5 * (rank - 1) // (n - 1)))


def segment_en_map(segments: pd.DataFrame) -> dict[tuple[int, Fraction], str]:
    """(r_score, fm_score) → segment: of the rectangles holding the pair, the lowest priority."""
    fm_min = segments.fm_score_min.map(lambda v: Fraction(str(v)))
    fm_max = segments.fm_score_max.map(lambda v: Fraction(str(v)))
    mapping = {}
    for r in range(1, 6):
        for fm in (Fraction(half, 2) for half in range(2, 11)):
            inside = segments[(segments.r_score_min <= r) & (r <= segments.r_score_max)
                              & (fm_min <= fm) & (fm <= fm_max)]
            mapping[r, fm] = inside.sort_values("priority").rfm_segment_en.iloc[0]
    return mapping


def expected_snapshot(purchases: pd.DataFrame, as_of: date, window: int | None) -> pd.DataFrame:
    """One snapshot recomputed from the definitions in spec/marts.md, in integer cents."""
    to_date = purchases[purchases.purchase_date <= as_of]
    in_window = to_date if window is None else to_date[to_date.purchase_date > as_of - timedelta(days=window)]
    recent = to_date[to_date.purchase_date > as_of - timedelta(days=365)]
    rows = in_window.groupby("customer_id").agg(
        last_purchase_date=("purchase_date", "max"), frequency=("order_key", "count"), cents=("cents", "sum"))
    rows["revenue_cents"] = recent.groupby("customer_id").cents.sum().reindex(rows.index, fill_value=0)
    rows["recency_days"] = [(as_of - d).days for d in rows.last_purchase_date]
    n = len(rows)
    rows["r_score"] = score(rows.recency_days.rank(method="min", ascending=False), n)
    rows["f_score"] = score(rows.frequency.rank(method="min"), n)
    rows["m_score"] = score(rows.cents.rank(method="min"), n)
    rows["is_r_high"] = rows.recency_days < Fraction(int(rows.recency_days.sum()), n)
    rows["is_f_high"] = rows.frequency > Fraction(int(rows.frequency.sum()), n)
    rows["is_m_high"] = rows.cents > Fraction(int(rows.cents.sum()), n)
    cut = math.ceil(Fraction("0.2") * n)
    revenue_rank = rows.revenue_cents.rank(method="min", ascending=False)
    rows["is_super_user"] = (rows.revenue_cents > 0) & (revenue_rank <= cut)
    return rows.reset_index().assign(as_of_date=as_of)


def test_scores_match_an_independent_pandas_recomputation(built):
    purchases, variables, query = built
    seeds = DBT_DIR / "seeds"
    cn = pd.read_csv(seeds / "rfm_segments_cn.csv").set_index(["is_r_high", "is_f_high", "is_m_high"])
    en = pd.read_csv(seeds / "rfm_segments_en.csv")
    window = variables.get("rfm_window_days")
    dates = snapshot_dates(purchases, variables.get("rfm_snapshot_grain", "month"))
    expected = pd.concat([expected_snapshot(purchases, d, window) for d in dates], ignore_index=True)
    expected["rfm_segment_cn"] = [cn.loc[tuple(levels), "rfm_segment_cn"] for levels in
                                  expected[["is_r_high", "is_f_high", "is_m_high"]].itertuples(index=False)]
    en_map = segment_en_map(en)
    expected["rfm_segment_en"] = [en_map[r, Fraction(f + m, 2)] for r, f, m in
                                  zip(expected.r_score, expected.f_score, expected.m_score, strict=True)]

    actual = query("""
        select *, cast(monetary * 100 as bigint) as cents, cast(revenue_365d * 100 as bigint) as revenue_cents
        from marts.rfm_scores""")
    actual["as_of_date"] = actual.as_of_date.dt.date
    actual["last_purchase_date"] = actual.last_purchase_date.dt.date
    assert sorted(set(actual.as_of_date)) == dates
    assert len(expected) > 10 * len(dates) and expected.frequency.duplicated().any()

    columns = ["as_of_date", "customer_id", "last_purchase_date", "recency_days", "frequency", "cents",
               "revenue_cents", "r_score", "f_score", "m_score", "is_r_high", "is_f_high", "is_m_high",
               "rfm_segment_cn", "rfm_segment_en", "is_super_user"]

    def rows(frame: pd.DataFrame) -> list[tuple]:
        return list(frame[columns].sort_values(columns[:2]).itertuples(index=False, name=None))

    assert rows(actual) == rows(expected)


def test_pareto_matches_cumulative_shares_recomputed_in_pandas(built):
    _, _, query = built
    scores = query("select as_of_date, cast(monetary * 100 as bigint) as cents from marts.rfm_scores")
    pareto = query("select * from marts.revenue_pareto").set_index(["as_of_date", "percentile_bucket"])
    for as_of, snapshot in scores.groupby("as_of_date"):
        cents = snapshot.cents.sort_values(ascending=False).to_numpy()
        n, total = len(cents), int(cents.sum())
        for bucket in (1, 20, 37, 50, 99, 100):
            in_top = [math.ceil(Fraction(100 * k, n)) <= bucket for k in range(1, n + 1)]
            top = int(cents[in_top].sum())
            assert pareto.loc[(as_of, bucket), "cumulative_share_of_revenue"] == pytest.approx(top / total)
        # the headline: customers ranked (descending, ties sharing the smallest rank) ≤ ceil(n / 5)
        ranks = pd.Series(cents).rank(method="min", ascending=False).to_numpy()
        top20 = int(cents[ranks <= math.ceil(Fraction(n, 5))].sum()) / total
        assert pareto.loc[as_of].top20_share_of_revenue.to_numpy() == pytest.approx([top20] * 100)
