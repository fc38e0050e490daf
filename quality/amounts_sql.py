"""The numbers quality.amounts judges, gathered from the raw tables: per day and per file, the
median positive amount of a money column (one per key) and of its history days, and the median
ratio of order lines to their list price."""

from __future__ import annotations

from datetime import date, timedelta

from ingestion.contracts import Contract, get
from ingestion.write.rawdb import SCHEMA as RAW
from quality.amounts import (
    LOOKBACK_DAYS,
    ORDER_LINES,
    TEST_PAYMENT,
    history_days,
)

PRODUCTS = get("org", "product").table
SAMPLE_ORDERS = 2_000  # orders per day whose lines are read: a median needs no more


def money_days(con, contract: Contract, column: str, first: date, last: date) -> tuple[dict, dict, dict]:
    """(today, history, files) for quality.amounts.amount_scale over first..last."""
    table, col = f'{RAW}."{contract.table}"', f'"{column}"'
    counts = dict(
        con.execute(
            f"select _business_date, count(*) from {table} where {col} > 0 "
            "and _business_date between ? and ? group by 1",
            [first - timedelta(LOOKBACK_DAYS), last],
        ).fetchall()
    )
    pairs = [
        (day, d, d == day)
        for day in sorted(d for d in counts if first <= d <= last)
        for d in [day, *history_days(counts, day)]
    ]
    judged, days, is_today = (list(c) for c in zip(*pairs, strict=True)) if pairs else ([], [], [])
    keys = ", ".join(f'"{k}"' for k in contract.key)

    def amounts(per_file: bool) -> str:  # one amount per key and day (an order's versions count once)
        return (
            f"select distinct _business_date as d, {'_file' if per_file else 'null'} as f, {keys}, "
            f"{col} as a from {table} where {col} > 0 and _business_date between ? and ?"
        )

    rows = con.execute(
        "with pairs as (select unnest(?::date[]) as j, unnest(?::date[]) as d, unnest(?::boolean[]) as t) "
        f"select j, t, count(*), median(a)::double from pairs join ({amounts(False)}) using (d) "
        "group by 1, 2",
        [judged, days, is_today, min(days, default=first), last],
    ).fetchall()
    today = {j: (int(n), m) for j, t, n, m in rows if t}
    history = {j: (int(n), m) for j, t, n, m in rows if not t}
    files = con.execute(
        f"select d, f, count(*), median(a)::double from ({amounts(True)}) group by 1, 2 order by 1, 2",
        [first, last],
    ).fetchall()
    return today, history, _by_day(files)


def line_ratios(con, contract: Contract, first: date, last: date) -> tuple[dict, dict]:
    """(day → (lines, median line amount / (list price × quantity)), day → [(file, lines, median)])
    of the order lines of first..last that name a catalogued SKU with a list price."""
    spec = ORDER_LINES[(contract.source, contract.entity)]
    keys = ", ".join(f'"{k}"' for k in contract.key)
    rows = con.execute(
        f"""
        with orders as (
            select _business_date as d, _file as f, {keys}, "{spec.column}" as lines
            from {RAW}."{contract.table}"
            where _business_date between $lo and $hi and "{spec.column}" is not null
            qualify row_number() over (partition by _business_date order by hash({keys})) <= {SAMPLE_ORDERS}
        ),
        lines as (
            select distinct d, f, {keys}, unnest(from_json(lines::json, '["json"]')) as line from orders
        ),
        priced as (
            select d, f, line ->> '{spec.sku}' as sku, try_cast(line ->> '{spec.quantity}' as double) as qty,
                   try_cast(line ->> '{spec.amount}' as double) / {spec.per_yuan} as amount
            from lines
        ),
        products as (
            select sku, _business_date as since, list_price from {RAW}."{PRODUCTS}" where list_price > 0
        ),
        earliest as (select sku, arg_min(list_price, since) as list_price from products group by 1),
        ratios as (
            select l.d, l.f, l.amount / (coalesce(p.list_price, e.list_price) * l.qty) as ratio
            from priced l
            asof left join products p on p.sku = l.sku and l.d >= p.since
            left join earliest e on e.sku = l.sku
            where l.qty > 0 and l.amount > {TEST_PAYMENT} and coalesce(p.list_price, e.list_price) is not null
        )
        select d, f, count(*), median(ratio)::double from ratios
        group by grouping sets ((d), (d, f)) order by 1, 2
        """,
        {"lo": first, "hi": last},
    ).fetchall()
    days = {d: (int(n), m) for d, f, n, m in rows if f is None}
    return days, _by_day([r for r in rows if r[1] is not None])


def _by_day(rows) -> dict:
    out: dict[date, list] = {}
    for d, f, n, m in rows:
        out.setdefault(d, []).append((f, int(n), m))
    return out
