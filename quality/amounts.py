"""The scale of amounts (blocking): a unit slip — 分 read as 元 (×100) or 元 read as 分 (÷100).

Two rules, both in the `amounts` check. Each money column: a day's median positive amount against
the amounts delivered before it (the most recent days that had any, not a calendar week, so a feed
that pauses keeps its baseline). Order lines that name a SKU (Youzan, Douyin): each line's amount
against the catalogue's list price × quantity (org/product, the snapshot in force that day). The
second needs no history and no volume: it guards a brand that sells a few orders a week, whose
nights are too small for a median to mean anything (issue 11: two trades ×100 published).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from ingestion.contracts import Contract
from quality.results import Finding

# History. A unit slip moves every amount 100x; the median of 20 or more of a day's amounts (one
# per key: an order's versions count once) does not move 20x against the median of the last ~200
# amounts delivered before it for any other reason. In the simulated brand up to 16% of a column's
# amounts lie 20x under its median (0.01 元 test orders, 1 元 ad spends): a median of 20 crosses
# only when 10 do, on one day in 2,200 (binomial tail at p = 0.16). A median of fewer amounts is one
# or two orders — a 9.9 元 trial night sits 1/14–1/30 under a 140–299 元 median, as close to a ÷100
# slip as to a normal night — so small days are left to the catalogue rule.
MAX_AMOUNT_SHIFT = 20.0
MIN_AMOUNTS = 20
HISTORY_AMOUNTS = 200  # whole days back until they hold this many
MIN_HISTORY_AMOUNTS = 20
LOOKBACK_DAYS = 90  # a quarter: older prices say little about tonight's
MONEY_TYPES = ("yuan", "fen")


@dataclass(frozen=True)
class OrderLines:
    """Where a contract's JSON order lines keep the SKU, quantity and paid amount."""

    column: str
    sku: str
    quantity: str
    amount: str
    per_yuan: int  # 1: line amounts in 元; 100: in 分


ORDER_LINES = {
    ("youzan", "trade"): OrderLines("orders", "outer_sku_id", "num", "payment", 1),
    ("douyin", "order"): OrderLines("sku_order_list", "code", "item_num", "pay_amount", 100),
}
# Catalogue. A line pays list price × quantity less its discounts: 0.5–1.0 of it on ordinary days
# (a 50% promotion is 0.5, a 9.9 元 trial SKU 1.0; 0 元 gifts and samples are not judged). ×100
# puts a line at 50–100x, ÷100 at 0.005–0.01: the day's median line blocks above 10x (no one pays
# ten times the list price) or under 1/20 (a 95% discount on half of a day's lines is no promotion;
# 一折, the deepest common one, is 0.1). At least 2 lines: one line alone may be a flash sale or a
# stale list price. Lines paying 0.01 元 are test orders (a 9.9 元 SKU at 0.001) and not judged.
MAX_LIST_RATIO = 10.0
MIN_LIST_RATIO = 1 / 20
MIN_LINES = 2
TEST_PAYMENT = 0.01


def money_columns(contract: Contract) -> list[str]:
    """The stored top-level money columns (nested line amounts: see ORDER_LINES)."""
    return [f.name for f in contract.fields if f.type in MONEY_TYPES and f.pii is None]


def history_days(counts: dict[date, int], day: date) -> list[date]:
    """The most recent days before `day` (within LOOKBACK_DAYS) that had amounts, newest first,
    until they hold HISTORY_AMOUNTS."""
    chosen, held = [], 0
    for d in sorted((d for d in counts if day - timedelta(LOOKBACK_DAYS) <= d < day), reverse=True):
        if held >= HISTORY_AMOUNTS:
            break
        chosen.append(d)
        held += counts[d]
    return chosen


def amount_scale(days: list[date], column: str, today: dict, history: dict, files: dict) -> Finding:
    """today / history: day → (positive amounts, median) of the day / of its history days;
    files: day → [(file, amounts, median)]."""
    judged = {}
    for day in days:
        (n, value), (h, base) = today.get(day, (0, None)), history.get(day, (0, None))
        if n >= MIN_AMOUNTS and h >= MIN_HISTORY_AMOUNTS and base:
            judged[day] = {
                "amounts": n,
                "median": value,
                "history_amounts": h,
                "history_median": base,
                "ratio": round(value / base, 4),
            }
    return _verdict(
        "median_amount_vs_recent_deliveries",
        column,
        judged,
        (1 / MAX_AMOUNT_SHIFT, MAX_AMOUNT_SHIFT),
        files,
        f"the day's median amount within 1/{MAX_AMOUNT_SHIFT:g}x–{MAX_AMOUNT_SHIFT:g}x of the last "
        f"~{HISTORY_AMOUNTS} delivered (a unit slip is 100x)",
        lambda v: f"median {v['median']:g} against {v['history_median']:g} before ({v['ratio']:.3g}x)",
    )


def list_prices(days: list[date], column: str, lines: dict, files: dict) -> Finding:
    """lines: day → (lines judged, median of line amount / (list price × quantity));
    files: day → [(file, lines, median)]."""
    judged = {
        day: {"lines": n, "ratio": round(ratio, 4)}
        for day, (n, ratio) in lines.items()
        if day in days and n >= MIN_LINES
    }
    return _verdict(
        "line_amount_vs_list_price",
        column,
        judged,
        (MIN_LIST_RATIO, MAX_LIST_RATIO),
        files,
        f"the day's median order line pays {MIN_LIST_RATIO:g}x–{MAX_LIST_RATIO:g}x of its list price × "
        "quantity (a unit slip is 100x or 1/100)",
        lambda v: f"the median of {v['lines']} lines pays {v['ratio']:.3g}x its list price × quantity",
    )


def _verdict(rule, column, judged, band, files, note, explain) -> Finding:
    failed = sorted(day for day, v in judged.items() if not band[0] < v["ratio"] < band[1])
    for day in failed:
        judged[day]["files"] = [{"file": f, "amounts": n, "median": m} for f, n, m in files.get(day, [])]
    worst = max((judged[d]["ratio"] for d in failed), key=lambda r: abs(math.log(r or 1e-9)), default=None)
    shown = {str(d): judged[d] for d in failed} or {str(d): judged[d] for d in sorted(judged)[-1:]}
    first = judged[failed[0]] if failed else None
    message = f"{column} on {failed[0]}: {explain(first)}" if first else ""
    return Finding(
        "amounts",
        rule,
        column,
        not failed,
        worst,
        tuple(failed),
        {"note": note, "message": message, "days": shown},
        blocking=True,
    )
