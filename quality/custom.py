"""Hand-written checks: what a contract cannot say about one row, measured per business date.

Each check is a pure function over per-day numbers (tested with hand-made counts), plus the SQL
that gathers those numbers from raw._load_log and the raw tables. All three only warn (see
quality.results for why).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from statistics import median

from ingestion.write.rawdb import LOAD_LOG, QUARANTINE
from ingestion.write.rawdb import SCHEMA as RAW
from quality.results import Finding

TRAILING_DAYS = 7
# Volume: a day under half its trailing median lost rows somewhere (a truncated export, a missing
# file, an expired API token); over five times is beyond ordinary campaign days (双11 and 618 may
# reach it: they warn, an operator confirms), likely a re-export of history or a doubled feed.
MIN_VOLUME_RATIO = 0.5
MAX_VOLUME_RATIO = 5.0
# Below a median of 50 rows a day chance alone crosses the band: with Poisson counts a day under
# half happens once in 29,000 days at 50 a day but on 6% of days at 6 a day, and real feeds vary more
# than Poisson (weekends, campaigns); small feeds are not judged.
MIN_BASELINE_ROWS = 50
# Fewer history days than this (a feed's first days) give no baseline.
MIN_HISTORY_DAYS = 3
# Quarantine: the simulator's deliberately noisy feeds quarantine ~2% of rows, real exports far
# less; above 5% something systematic changed (a renamed column, a new enum value, a new unit).
MAX_QUARANTINE_SHARE = 0.05
# ...and at least 10 rows: on a 4-row day one bad row is 25%, which is noise, not a trend.
MIN_QUARANTINED_ROWS = 10
# Phones: a field's unlinkable share is compared with its own trailing seven days, because some
# fields are masked by design (Tmall 收货人手机号, Douyin mask_post_tel: ~100%) and Ocean Engine
# encrypts a quarter of telephones; what breaks identity matching is a change, such as a platform
# starting to mask a field that carried full numbers. 20 points is ~3 standard deviations of a
# 50-phone day's share at p = 0.3, and MIN_PHONES keeps smaller days out.
MAX_UNLINKABLE_RISE = 0.20
MIN_PHONES = 50
LINKABLE_KINDS = ("valid",)
ABSENT_KINDS = ("empty",)


def volume(days: list[date], counts: dict[date, int], kind: str, first_delivery: date | None) -> Finding:
    """Rows loaded per day against the median of the trailing seven days. Event feeds count an
    undelivered day as 0 rows; a snapshot is judged on the days one arrived, against the sizes of
    the snapshots in force on the seven days before (a snapshot holds until the next one)."""
    failed, per_day = [], {}
    for day, rows, base in baselines(days, counts, kind, first_delivery):
        ratio = rows / base
        per_day[day] = {"rows": rows, "trailing_median": base, "ratio": round(ratio, 3)}
        if not MIN_VOLUME_RATIO <= ratio <= MAX_VOLUME_RATIO:
            failed.append(day)
    judged = [per_day[d] for d in failed] or [per_day[d] for d in sorted(per_day)[-1:]]
    worst = max(judged, key=lambda v: abs(math.log(max(v["ratio"], 1e-6))), default=None)
    return Finding(
        "volume",
        "rows_vs_trailing_7_day_median",
        None,
        not failed,
        worst["ratio"] if worst else None,
        tuple(failed),
        {
            "note": f"{MIN_VOLUME_RATIO:g}x–{MAX_VOLUME_RATIO:g}x of the trailing median",
            "days": {str(d): per_day[d] for d in failed} or latest_details(per_day),
        },
    )


def _in_force(counts: dict[date, int], day: date) -> int | None:
    earlier = [d for d in counts if d <= day]
    return counts[max(earlier)] if earlier else None


def quarantine_share(
    days: list[date], offered: dict[date, tuple[int, int]], whole_files: dict[date, list[str]]
) -> Finding:
    """offered: day → (rows offered, rows quarantined); whole_files: day → files rejected whole."""
    failed, per_day = [], {}
    for day in days:
        total, bad = offered.get(day, (0, 0))
        share = bad / total if total else 0.0
        per_day[day] = {
            "offered": total,
            "quarantined": bad,
            "share": round(share, 4),
            "whole_files": whole_files.get(day, []),
        }
        if (share > MAX_QUARANTINE_SHARE and bad >= MIN_QUARANTINED_ROWS) or whole_files.get(day):
            failed.append(day)
    worst = max((v["share"] for v in per_day.values()), default=None)
    return Finding(
        "quarantine_share",
        "quarantined_share_of_offered_rows",
        None,
        not failed,
        worst,
        tuple(failed),
        {
            "note": f"> {MAX_QUARANTINE_SHARE:.0%} and >= {MIN_QUARANTINED_ROWS} rows, "
            "or a whole file rejected",
            "days": {str(d): per_day[d] for d in failed} or latest_details(per_day),
        },
    )


def unlinkable_share(days: list[date], column: str, phones: dict[date, tuple[int, int]]) -> Finding:
    """phones: day → (phones present, of which unlinkable), for one phone column."""
    failed, per_day = [], {}
    for day in days:
        present, unlinkable = phones.get(day, (0, 0))
        window = [phones.get(day - timedelta(n), (0, 0)) for n in range(1, TRAILING_DAYS + 1)]
        base_present = sum(p for p, _ in window)
        if present < MIN_PHONES or base_present < MIN_PHONES:
            continue
        share, base = unlinkable / present, sum(u for _, u in window) / base_present
        per_day[day] = {"phones": present, "share": round(share, 4), "trailing_share": round(base, 4)}
        if share > base + MAX_UNLINKABLE_RISE:
            failed.append(day)
    worst = max((v["share"] - v["trailing_share"] for v in per_day.values()), default=None)
    return Finding(
        "unlinkable_phone_share",
        "unlinkable_share_vs_trailing_7_days",
        column,
        not failed,
        round(worst, 4) if worst is not None else None,
        tuple(failed),
        {
            "note": f"more than {MAX_UNLINKABLE_RISE:.0%} points above the trailing share",
            "days": {str(d): per_day[d] for d in failed} or latest_details(per_day),
        },
    )


def latest_details(per_day: dict) -> dict:
    return {str(d): per_day[d] for d in sorted(per_day)[-1:]}


# --- gathering the numbers ------------------------------------------------------------------------


def load_log_days(con, source: str, entity: str, last: date) -> tuple[dict, dict]:
    """(day → rows loaded, day → (offered, quarantined)) for every delivered day up to `last`."""
    rows = con.execute(
        f"select business_date, sum(rows_loaded), sum(rows_offered), sum(quarantined) from {RAW}.{LOAD_LOG} "
        "where source = ? and entity = ? and business_date <= ? group by 1",
        [source, entity, last],
    ).fetchall()
    return {d: int(n) for d, n, _, _ in rows}, {d: (int(o), int(q)) for d, _, o, q in rows}


def whole_file_rejections(con, source: str, entity: str, first: date, last: date) -> dict[date, list[str]]:
    """Files quarantined as a whole (no row number, or lacking required columns)."""
    rows = con.execute(
        f"select distinct business_date, file from {RAW}.{QUARANTINE} where source = ? and entity = ? "
        "and business_date between ? and ? and (row_number is null or reason = 'missing_required_columns')",
        [source, entity, first, last],
    ).fetchall()
    out: dict[date, list[str]] = {}
    for day, file in sorted(rows):
        out.setdefault(day, []).append(file)
    return out


def files_of_days(con, source: str, entity: str, days: list[date]) -> list[str]:
    """Every file delivered for source/entity on `days` (what a check about whole days is about)."""
    rows = con.execute(
        f"select distinct file from {RAW}.{LOAD_LOG} where source = ? and entity = ? "
        "and list_contains(?, business_date) order by 1",
        [source, entity, list(days)],
    ).fetchall()
    return [f for (f,) in rows]


def phone_days(con, table: str, column: str, is_list: bool, first: date, last: date) -> dict:
    """day → (phones present, unlinkable) of one phone column over the run's days and the week before."""
    absent = ", ".join(f"'{k}'" for k in ABSENT_KINDS)
    linkable = ", ".join(f"'{k}'" for k in LINKABLE_KINDS)
    kind = f'unnest("{column}")' if is_list else f'"{column}"'
    source = f'(select _business_date, {kind} as k from {RAW}."{table}" where _business_date between ? and ?)'
    rows = con.execute(
        f"select _business_date, count(*) filter (where k not in ({absent})), "
        f"count(*) filter (where k not in ({absent}) and k not in ({linkable})) from {source} group by 1",
        [first - timedelta(TRAILING_DAYS), last],
    ).fetchall()
    return {as_date(d): (int(p), int(u)) for d, p, u in rows}


def as_date(v) -> date:
    return v.date() if hasattr(v, "hour") else v


def baselines(days: list[date], counts: dict[date, int], kind: str, first_delivery: date | None):
    """(day, rows, trailing median) of each day with a baseline (see volume)."""
    for day in days:
        if kind == "snapshot" and day not in counts:
            continue
        history = [
            d
            for d in (day - timedelta(n) for n in range(1, TRAILING_DAYS + 1))
            if first_delivery is not None and d >= first_delivery
        ]
        base = [_in_force(counts, d) if kind == "snapshot" else counts.get(d, 0) for d in history]
        base = [b for b in base if b is not None]
        if len(base) < MIN_HISTORY_DAYS or median(base) < MIN_BASELINE_ROWS:
            continue
        yield day, counts.get(day, 0), median(base)
