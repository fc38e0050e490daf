"""Blocking checks for broken deliveries, and the freshness warning: per-day numbers in, a Finding out.

These describe a day whose rows may each pass their contract but whose whole is wrong: the marts
built from it would be wrong (revenue halved or 100x, orders counted twice, guides' friendships
wiped), so they stop the models downstream. Each threshold sits far beyond ordinary variation, as
the comments say. Pure functions over hand-makeable numbers (tests/quality/test_custom.py), then
the SQL that gathers them from the raw tables and raw._load_log.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from statistics import median

from ingestion.rawdb import LOAD_LOG, QUARANTINE
from ingestion.rawdb import SCHEMA as RAW
from quality.custom import MIN_HISTORY_DAYS, TRAILING_DAYS, as_date, baselines, latest_details
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
# Amounts: a unit slip moves every amount 100x (分 read as 元) or 1/100; a day's median amount
# does not move 20x against its trailing week for any other reason.
MAX_AMOUNT_SHIFT = 20.0
MIN_AMOUNTS = 20  # positive amounts in a day before its median is judged
MONEY_TYPES = ("yuan", "fen")
# Duplicate files: a file of at least this many rows whose rows all repeat another file of the
# same day, or (event feeds) 90% of whose rows repeat rows of other days. Retried pushes repeat
# single lines (simulated at 0.8%), never a whole file.
MIN_DUPLICATE_ROWS = 10
MAX_REPEATED_SHARE = 0.9


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


def amount_scale(
    days: list[date], column: str, medians: dict[date, tuple[int, float]], files: dict
) -> Finding:
    """Blocking: a day's median positive amount against the median of the trailing seven days'
    medians. medians: day → (positive amounts, median); files: day → [(file, amounts, median)]."""
    failed, per_day = [], {}
    for day in days:
        n, value = medians.get(day, (0, None))
        history = [medians.get(day - timedelta(k)) for k in range(1, TRAILING_DAYS + 1)]
        base = [m for c, m in filter(None, history) if c >= MIN_AMOUNTS]
        if n < MIN_AMOUNTS or len(base) < MIN_HISTORY_DAYS or not median(base):
            continue
        ratio = value / median(base)
        per_day[day] = {"median": value, "trailing_median": median(base), "ratio": round(ratio, 3)}
        if not 1 / MAX_AMOUNT_SHIFT < ratio < MAX_AMOUNT_SHIFT:
            failed.append(day)
            per_day[day]["files"] = [{"file": f, "amounts": c, "median": m} for f, c, m in files.get(day, [])]
    worst = max((per_day[d]["ratio"] for d in failed), key=lambda r: abs(math.log(r)), default=None)
    return Finding(
        "amounts",
        "median_amount_vs_trailing_7_days",
        column,
        not failed,
        worst,
        tuple(failed),
        {
            "note": f"the day's median amount within 1/{MAX_AMOUNT_SHIFT:g}x–{MAX_AMOUNT_SHIFT:g}x of the "
            "trailing median (a unit slip is 100x)",
            "days": {str(d): per_day[d] for d in failed} or latest_details(per_day),
        },
        blocking=True,
    )


def duplicate_files(same_day: list[tuple], repeated: list[tuple]) -> Finding:
    """Blocking: files delivered twice. same_day: (day, file, rows offered, other files of the day)
    for files whose every row repeats another file of the day; repeated: (day, file, rows, rows also
    in another day, the other days' files) for event files mostly repeating other days."""
    found = [
        {"day": str(d), "file": f, "rows": n, "repeats": others, "where": "same day"}
        for d, f, n, others in same_day
        if n >= MIN_DUPLICATE_ROWS
    ] + [
        {
            "day": str(d),
            "file": f,
            "rows": n,
            "repeats": others,
            "where": "other days",
            "share": round(m / n, 4),
        }
        for d, f, n, m, others in repeated
        if n >= MIN_DUPLICATE_ROWS and m / n >= MAX_REPEATED_SHARE
    ]
    return Finding(
        "duplicate_file",
        "file_repeats_another_delivery",
        None,
        not found,
        float(len(found)),
        tuple(sorted({date.fromisoformat(f["day"]) for f in found})),
        {
            "note": f"every row of a file repeats another file of its day, or {MAX_REPEATED_SHARE:.0%} of an "
            "event file's rows repeat other days",
            "files": found[:20],
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


def money_days(con, table: str, column: str, first: date, last: date) -> tuple[dict, dict]:
    """(day → (positive amounts, median), day → [(file, amounts, median)]) of one money column over
    the run's days and the week before."""
    rows = con.execute(
        f'select _business_date, _file, count(*), median("{column}") from {RAW}."{table}" '
        f'where "{column}" > 0 and _business_date between ? and ? '
        "group by grouping sets ((_business_date), (_business_date, _file))",
        [first - timedelta(TRAILING_DAYS), last],
    ).fetchall()
    days, files = {}, {}
    for d, file, n, m in rows:
        if file is None:
            days[as_date(d)] = (int(n), float(m))
        else:
            files.setdefault(as_date(d), []).append((file, int(n), float(m)))
    return days, {d: sorted(fs) for d, fs in files.items()}


def same_day_duplicates(con, source: str, entity: str, first: date, last: date) -> list[tuple]:
    """(day, file, rows offered, the day's other files) for files none of whose rows loaded because
    every readable row repeated another file of the day."""
    return con.execute(
        f"select business_date, file, rows_offered, "
        f"list_sort(list(other) filter (where other is not null)) "
        f"from (select l.business_date, l.file, l.rows_offered, o.file as other "
        f"      from {RAW}.{LOAD_LOG} l left join {RAW}.{LOAD_LOG} o "
        f"        on o.source = l.source and o.entity = l.entity and o.business_date = l.business_date "
        f"       and o.file <> l.file "
        f"      where l.source = ? and l.entity = ? and l.business_date between ? and ? "
        f"        and l.rows_loaded = 0 and l.duplicates > 0 "
        f"        and l.duplicates + l.quarantined = l.rows_offered) "
        "group by all order by 1, 2",
        [source, entity, first, last],
    ).fetchall()


def repeated_days(con, table: str, first: date, last: date) -> list[tuple]:
    """(day, file, rows, rows whose record also landed on another day, those days' files) for the
    files of first..last. Only for event feeds: a snapshot repeats yesterday's rows by nature."""
    rows = con.execute(
        f"""
        with elsewhere as (
            select _record_hash, min(_business_date) as lo, max(_business_date) as hi
            from {RAW}."{table}" group by 1 having lo <> hi
        )
        select r._business_date, r._file, count(*), count(e._record_hash)
        from {RAW}."{table}" r left join elsewhere e using (_record_hash)
        where r._business_date between ? and ?
        group by 1, 2 order by 1, 2
        """,
        [first, last],
    ).fetchall()
    out = []
    for day, file, n, m in rows:
        others: list[str] = []
        if n >= MIN_DUPLICATE_ROWS and m / n >= MAX_REPEATED_SHARE:  # name the files it repeats
            others = [
                f
                for (f,) in con.execute(
                    f'select distinct o._file from {RAW}."{table}" o join {RAW}."{table}" r '
                    "using (_record_hash) where r._business_date = ? and r._file = ? "
                    "and o._business_date <> r._business_date order by 1 limit 5",
                    [day, file],
                ).fetchall()
            ]
        out.append((as_date(day), file, int(n), int(m), others))
    return out


def file_accounting(con, contract, first: date, last: date) -> list[tuple]:
    """(day, file, offered, loaded, duplicates, quarantined, raw rows, quarantine rows) per file."""
    return con.execute(
        f"""
        with logged as (
            select business_date as d, file as f, sum(rows_offered) as o, sum(rows_loaded) as l,
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
