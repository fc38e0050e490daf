"""Blocking checks for broken deliveries, and the freshness warning: per-day numbers in, a Finding out.

These describe a day whose rows may each pass their contract but whose whole is wrong: the marts
built from it would be wrong (half the orders, guides' friendships wiped, rows unaccounted for), so
they stop the models downstream. Each threshold sits far beyond ordinary variation, as the comments
say. Pure functions over hand-makeable numbers (tests/quality/test_custom.py), then the SQL that
gathers them. The other blocking checks: quality.amounts (unit slips), quality.repeats (files
delivered twice), quality.quarantined (a mostly-quarantined file).
"""

from __future__ import annotations

import math
from datetime import date

from ingestion.write.rawdb import LOAD_LOG, QUARANTINE
from ingestion.write.rawdb import SCHEMA as RAW
from quality.custom import baselines, latest_details
from quality.results import Finding

# Volume floor, for feeds whose volume is steady (contract.steady_volume: snapshots and the shops'
# and stores' orders; group sends, fission, leads, ad spend and Douyin live-stream orders swing by
# design — the simulated brand's group sends drop to a quarter of their median between campaigns):
# a delivered day more than 40% under its trailing median *and* more than five Poisson standard
# deviations under it. Half the orders missing is caught from a median of 100 rows
# a day; a feed of 50 rows blocks only under 15. Undelivered event days only warn (campaign feeds
# end; freshness reports a source that stopped).
FLOOR_DROP = 0.4
FLOOR_SIGMAS = 5.0


def volume_floor(
    days: list[date], counts: dict[date, int], kind: str, first_delivery: date | None, steady: bool = True
) -> Finding:
    """Blocking: a delivered day far under its trailing median (see FLOOR_DROP, FLOOR_SIGMAS), for
    feeds whose volume is steady (contract.steady_volume); campaign-driven feeds are not judged."""
    failed, per_day = [], {}
    for day, rows, base in baselines(days, counts, kind, first_delivery):
        if day not in counts or not steady:
            continue
        floor = base - max(FLOOR_DROP * base, FLOOR_SIGMAS * math.sqrt(base))
        per_day[day] = {"rows": rows, "trailing_median": base, "floor": round(floor, 1)}
        if rows < floor:
            failed.append(day)
    return Finding(
        "volume",
        "rows_above_floor",
        None,
        not failed,
        min((per_day[d]["rows"] / per_day[d]["trailing_median"] for d in failed), default=None),
        tuple(failed),
        {
            "note": f"a delivered day more than {FLOOR_DROP:.0%} and {FLOOR_SIGMAS:g} standard deviations "
            "under the trailing median",
            "days": {str(d): per_day[d] for d in failed} or latest_details(per_day),
        },
        blocking=True,
    )


def accounting(rows: list[tuple]) -> Finding:
    """Blocking: every file balances. rows: (day, file, offered, loaded, duplicates, quarantined,
    rows in the raw table, rows in raw._quarantine)."""
    broken = [
        {
            "day": str(d),
            "file": f,
            "offered": o,
            "loaded": lo,
            "duplicates": du,
            "quarantined": q,
            "raw_rows": r,
            "quarantine_rows": qr,
        }
        for d, f, o, lo, du, q, r, qr in rows
        if o != lo + du + q or lo != r or q != qr
    ]
    return Finding(
        "accounting",
        "offered_equals_loaded_duplicates_quarantined",
        None,
        not broken,
        float(len(broken)),
        tuple(sorted({date.fromisoformat(b["day"]) for b in broken})),
        {
            "note": "per file: offered = loaded + duplicates + quarantined, and the raw table and "
            "raw._quarantine hold exactly the loaded and quarantined rows",
            "files": broken[:20],
        },
        blocking=True,
    )


def file_accounting(con, contract, first: date, last: date) -> list[tuple]:
    """(day, file, offered, loaded, duplicates, quarantined, raw rows, quarantine rows) per file."""
    return con.execute(
        f"""
        with logged as (
            -- records of people erased on request are offered and dropped (ingestion/erasure/suppression.py)
            select business_date as d, file as f, sum(rows_offered - coalesce(suppressed, 0)) as o,
                   sum(rows_loaded) as l,
                   sum(duplicates) as du, sum(quarantined) as q
            from {RAW}.{LOAD_LOG} where source = $s and entity = $e and business_date between $lo and $hi
            group by 1, 2
        ),
        kept as (
            select _business_date as d, _file as f, count(*) as n from {RAW}."{contract.table}"
            where _business_date between $lo and $hi group by 1, 2
        ),
        held as (
            select business_date as d, file as f, count(*) as n from {RAW}.{QUARANTINE}
            where source = $s and entity = $e and business_date between $lo and $hi group by 1, 2
        )
        select coalesce(logged.d, kept.d, held.d), coalesce(logged.f, kept.f, held.f),
               coalesce(o, 0), coalesce(l, 0), coalesce(du, 0), coalesce(q, 0),
               coalesce(kept.n, 0), coalesce(held.n, 0)
        from logged
        full join kept on logged.d = kept.d and logged.f = kept.f
        full join held on coalesce(logged.d, kept.d) = held.d and coalesce(logged.f, kept.f) = held.f
        order by 1, 2
        """,
        {"s": contract.source, "e": contract.entity, "lo": first, "hi": last},
    ).fetchall()


def freshness(last: date, delivered: date | None, stale_after_days: int) -> Finding:
    """Warns: the source's newest delivered day lags the run's last day by more than its cadence
    allows (contract.cadence_days + 1); a source never delivered is stale."""
    behind = (last - delivered).days if delivered else None
    stale = behind is None or behind > stale_after_days
    return Finding(
        "freshness",
        "days_behind_the_run",
        None,
        not stale,
        float(behind) if behind is not None else None,
        (last,) if stale else (),
        {
            "note": f"newest delivered day at most {stale_after_days} days before {last}",
            "last_delivered": str(delivered or ""),
        },
    )
