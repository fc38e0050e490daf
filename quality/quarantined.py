"""A mostly-quarantined feed: one reason rejects most of a file or a day (blocking).

A few bad lines (a truncated push, a clock reset) only warn (quality.custom.quarantine_share): the
rows that loaded are right. When one reason rejects most of what a file or a day offered, the
delivery and the contract disagree — a renamed column, a key the platform now leaves empty, an
amount in another unit — and the marts would silently lose that feed (issue 11: every WeCom
contact quarantined as missing_required_field, friendships gone from the marts, exit 0). That
stops the night, naming the file, the reason and the field.
"""

from __future__ import annotations

import re
from datetime import date

from ingestion.contracts import get
from ingestion.write.rawdb import LOAD_LOG, QUARANTINE
from ingestion.write.rawdb import SCHEMA as RAW
from quality.results import Finding
from quality.shapes import shape_text

# Half of a file or day, for one reason: a mismatch rejects every row carrying the field (100% for
# a required one, the share of rows that carry it for an optional one), while the loader's ordinary
# defects stay far below it — the simulator's noisiest reason (a CSV row with a stray comma) is
# 0.6% of rows, real exports less. And at least 3 rows: with one reason at 0.6% a row, 3 of a file
# of 3–6 rows happen once in 230,000 files (C(6,3) · 0.006³ = 4e-6), so a brand that sells a few
# orders a day is guarded too, while one or two bad lines of a tiny day (100% of it) do not block.
MOSTLY_QUARANTINED_SHARE = 0.5
MIN_MOSTLY_QUARANTINED_ROWS = 3
SAMPLES = 3  # quarantine details kept per file and reason
# A value a quarantine detail quotes ("openid: missing_required_field; ts: unparseable_time '1391…'"):
# the loader quotes it with repr, so a quote inside is escaped
QUOTED = re.compile(
    r"""(?P<path>[^\s:;]+): (?P<reason>[a-z_]+) (?P<q>['"])(?P<value>(?:\\.|(?!(?P=q)).)*)(?P=q)"""
)


def sample_field(reason: str, detail: str | None) -> str | None:
    """The field a quarantine detail names for `reason` ("follow_info.description:
    missing_required_field; …" → "follow_info.description"); None for unreadable lines."""
    if not detail:
        return None
    if reason == "missing_required_columns":  # "the file lacks required columns: a, b"
        return detail.partition(": ")[2].split(", ")[0] or None
    for part in detail.split("; "):
        path, _, rest = part.partition(": ")
        if rest.startswith(reason):
            return path
    return None


def mostly_quarantined(offered: dict[tuple[date, str], int], quarantined: list[tuple]) -> Finding:
    """Blocking: one reason quarantines at least half of a file's or a day's offered rows (and 3 rows).
    offered: (day, file) → rows offered; quarantined: (day, file, reason, rows, [details])."""
    per_day: dict[tuple[date, str], list[tuple]] = {}
    for day, file, reason, n, details in quarantined:
        per_day.setdefault((day, reason), []).append((file, n, details))
    found = []
    for (day, reason), files in sorted(per_day.items()):
        day_rows = sum(n for _, n, _ in files)
        day_offered = sum(o for (d, _), o in offered.items() if d == day) or day_rows
        whole_day = _mostly(day_rows, day_offered)
        for file, n, details in files:
            of = offered.get((day, file)) or n
            if _mostly(n, of) or whole_day:
                found.append(
                    {
                        "day": str(day),
                        "file": file,
                        "reason": reason,
                        "rows": n,
                        "offered": of,
                        "share": round(n / of, 4),
                        "day_share": round(day_rows / day_offered, 4),
                        "field": next(filter(None, (sample_field(reason, d) for d in details)), None),
                        "sample": (details or [None])[0],
                    }
                )
    found.sort(key=lambda f: (-f["rows"], f["day"], f["file"]))
    return Finding(
        "quarantine_share",
        "mostly_quarantined_for_one_reason",
        None,
        not found,
        max((f["share"] for f in found), default=None),
        tuple(sorted({date.fromisoformat(f["day"]) for f in found})),
        {
            "note": f"one reason quarantines >= {MOSTLY_QUARANTINED_SHARE:.0%} of a file's or a day's "
            f"offered rows (and >= {MIN_MOSTLY_QUARANTINED_ROWS}): the delivery does not match its contract",
            "message": _message(found[0]) if found else "",
            "files": found[:20],
        },
        blocking=True,
    )


def _mostly(rows: int, offered: int) -> bool:
    return rows >= MIN_MOSTLY_QUARANTINED_ROWS and rows >= MOSTLY_QUARANTINED_SHARE * offered


def _message(f: dict) -> str:
    field = f"field {f['field']}" if f["field"] else f"e.g. {f['sample']!r}"
    return (
        f"{f['file']}: {f['rows']} of {f['offered']} rows ({f['share']:.0%}) quarantined as "
        f"{f['reason']} ({field})"
    )


def quarantine_by_file(con, source: str, entity: str, first: date, last: date) -> tuple[dict, list]:
    """((day, file) → rows offered, [(day, file, reason, rows quarantined, a few details)])."""
    offered = con.execute(
        f"select business_date, file, sum(rows_offered) from {RAW}.{LOAD_LOG} "
        "where source = ? and entity = ? and business_date between ? and ? group by 1, 2",
        [source, entity, first, last],
    ).fetchall()
    held = con.execute(
        f"select business_date, file, reason, count(*), "
        f"list(detail order by row_number)[1:{SAMPLES}] from {RAW}.{QUARANTINE} "
        "where source = ? and entity = ? and business_date between ? and ? group by 1, 2, 3 order by 1, 2, 3",
        [source, entity, first, last],
    ).fetchall()
    literal = {f.path for f in get(source, entity).fields if f.kind == "code"}
    return {(d, f): int(n) for d, f, n in offered}, [
        (d, f, r, int(n), [masked(x, literal) for x in s]) for d, f, r, n, s in held
    ]


def masked(detail: str | None, literal: set[str]) -> str | None:
    """The detail with every value it quotes shaped (quality.shapes), but those of `literal` paths:
    a phone typed into a time or an id field is shown as its shape in the finding, while a platform
    code outside the contract's set ('TRADE_REFUNDED') stays readable — the news an operator needs."""

    def one(m: re.Match) -> str:
        if m["path"] in literal:
            return m[0]
        return f"{m['path']}: {m['reason']} {m['q']}{shape_text(m['value'])}{m['q']}"

    return QUOTED.sub(one, detail) if detail else detail
