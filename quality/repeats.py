"""Rows delivered more than once: whole files (duplicate_file) and conflicting repeats (conflicts).

docs/sources.md, "Landing layout": a file whose rows all repeat another file of its day folder (an
export downloaded twice, `… (1).csv`) loses nothing — its rows were dropped as duplicates — so it
warns, naming the copy and the file it copies. An event file nearly all of whose rows repeat *other
days'* rows (yesterday's export saved under today's date) means today's events are missing: that
blocks. A key delivered twice with the same version but other values is a conflict: staging keeps
the later file's row (dbt macro dedupe_latest), and a warning names both files and the key.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath

from ingestion.contracts import Contract
from ingestion.erasure.id_columns import person_columns
from ingestion.write.rawdb import LOAD_LOG
from ingestion.write.rawdb import SCHEMA as RAW
from quality.custom import as_date
from quality.results import Finding
from quality.shapes import shape_text

# An event file of at least 10 rows, 90% of whose rows repeat rows of other days. Retried pushes
# and late retries repeat single lines (simulated at 0.5% and 0.3%), never most of a file.
MIN_DUPLICATE_ROWS = 10
MAX_REPEATED_SHARE = 0.9
# How a browser or a file manager names a second copy: "trades (1).jsonl", "trades copy.csv",
# "trades - Copy.csv" / "trades - 副本.csv" (Windows), "trades 2.csv" / "trades-2.csv".
COPY_SUFFIX = re.compile(
    r"^(?P<stem>.+?)(?: ?\(\d+\)|(?: -)? copy(?: \d+)?| ?- ?副本(?: ?\(\d+\))?|[- ]\d+)$", re.I
)
SHOWN = 20


def copied_from(file: str, other: str) -> bool:
    """Whether `other`'s name is `file`'s name as a second download of it would be named."""
    a, b = PurePosixPath(file), PurePosixPath(other)
    m = COPY_SUFFIX.match(b.stem)
    return a.parent == b.parent and a.suffix == b.suffix and m is not None and m["stem"] == a.stem


def name_the_copy(file: str, originals: list[str]) -> tuple[str, list[str]]:
    """(copy, the files it copies) for a file all of whose rows were dropped as duplicates of
    `originals`. The loader keeps the first file by name, and "trades (1).jsonl" sorts before
    "trades.jsonl" (a space before a dot): then the file that lost its rows is the original."""
    named = [other for other in originals if copied_from(file, other)]
    return (named[0], [file]) if named else (file, originals)


def duplicate_files(same_day: list[tuple], repeated: list[tuple]) -> list[Finding]:
    """same_day: (day, file, rows offered, the day's other files that loaded rows) for files every
    row of which was dropped as a duplicate (warns); repeated: (day, file, rows, rows also in
    another day, those days' files) for event files (blocks at 90% and 10 rows)."""
    copies = []
    for day, file, n, others in same_day:
        copy, original = name_the_copy(file, others)
        copies.append({"day": str(day), "file": copy, "rows": n, "copies": original})
    stale = [
        {"day": str(d), "file": f, "rows": n, "share": round(m / n, 4), "repeats": others}
        for d, f, n, m, others in repeated
        if n >= MIN_DUPLICATE_ROWS and m / n >= MAX_REPEATED_SHARE
    ]
    return [
        _finding(
            "file_copies_another_of_its_day",
            copies,
            "every row of the file repeats another file of its day folder: loaded once",
            [f"{c['file']} copies {', '.join(c['copies']) or 'another file of its day'}" for c in copies],
            blocking=False,
        ),
        _finding(
            "file_repeats_other_days",
            stale,
            f"{MAX_REPEATED_SHARE:.0%} of an event file's rows (>= {MIN_DUPLICATE_ROWS}) repeat other days: "
            "an earlier export under this day's date, this day's events missing",
            [f"{s['file']}: {s['share']:.0%} of its rows repeat {', '.join(s['repeats'])}" for s in stale],
            blocking=True,
        ),
    ]


def conflicts(groups: list[tuple], count: int, days: tuple[date, ...]) -> Finding:
    """Warns: a key (and version) held twice on a day with other values. groups: (day, key → value,
    [(file, row number)] in landing order) of the first conflicts; count: every conflicting key."""
    found = [
        {
            "day": str(d),
            "key": key,
            "file": copies[-1][0],
            "row": int(copies[-1][1]),
            "overrides": copies[0][0],
            "overridden_row": int(copies[0][1]),
            "copies": len(copies),
        }
        for d, key, copies in groups
    ]
    texts = [
        f"{_key(f['key'])}: {f['file']} row {f['row']} (kept) over {f['overrides']} row {f['overridden_row']}"
        for f in found[:3]
    ]
    return Finding(
        "conflicts",
        "same_key_and_version_with_other_values",
        None,
        not count,
        float(count),
        days,
        {
            "note": "a key (and version) delivered twice with other values: staging keeps the later "
            "file's row",
            "message": "; ".join(texts) + (f" and {count - len(texts)} more" if count > len(texts) else ""),
            "files": found[:SHOWN],
        },
    )


def _finding(rule: str, found: list[dict], note: str, texts: list[str], blocking: bool) -> Finding:
    return Finding(
        "duplicate_file",
        rule,
        None,
        not found,
        float(len(found)),
        tuple(sorted({date.fromisoformat(f["day"]) for f in found})),
        {"note": note, "message": "; ".join(texts[:3]), "files": found[:SHOWN]},
        blocking=blocking,
    )


def _shown(contract: Contract, column: str, value) -> str:
    """A key value as a finding may show it: identifiers (openids, order ids, phone hashes) as their
    shape (quality.shapes) — the file and row number locate the row; codes, times, numbers as is."""
    try:
        kind = contract.field(column).kind
    except KeyError:  # a derived column: a phone's hash
        kind = "id"
    return str(value) if kind in ("code", "time", "number", "amount") else shape_text(str(value))


def _key(key: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in key.items())


# --- gathering ------------------------------------------------------------------------------------


def same_day_duplicates(con, source: str, entity: str, first: date, last: date) -> list[tuple]:
    """(day, file, rows offered, the day's other files that loaded rows) for files none of whose rows
    loaded because every readable row repeated another file of the day. Of several other files,
    those offering as many rows (a copy offers what its original offers)."""
    rows = con.execute(
        f"select l.business_date, l.file, l.rows_offered, "
        f"list(o.file order by o.file) filter (where o.file is not null), "
        f"list(o.file order by o.file) filter (where o.rows_offered = l.rows_offered) "
        f"from {RAW}.{LOAD_LOG} l left join {RAW}.{LOAD_LOG} o "
        f"  on o.source = l.source and o.entity = l.entity and o.business_date = l.business_date "
        f" and o.file <> l.file and o.rows_loaded > 0 "
        f"where l.source = ? and l.entity = ? and l.business_date between ? and ? "
        f"  and l.rows_loaded = 0 and l.duplicates > 0 and l.duplicates + l.quarantined = l.rows_offered "
        "group by 1, 2, 3 order by 1, 2",
        [source, entity, first, last],
    ).fetchall()
    return [(d, f, int(n), same or others or []) for d, f, n, others, same in rows]


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


def conflicting_keys(con, contract: Contract, first: date, last: date) -> tuple[list, int, tuple]:
    """The first conflicts (day, key, copies), how many keys conflict, on which days: rows of one
    (key, version, business date) whose read fields differ (repeats with equal fields are duplicates)."""
    group = list(dict.fromkeys([*contract.key, *contract.version_by, "_business_date"]))
    keys = [k for k in group if k != "_business_date"]
    cols = ", ".join(f'"{c}"' for c in group)
    values = ", ".join(f'"{c}"' for c in contract.column_names())
    found = f"""
        select {cols}, list([_file, _row_number::varchar] order by _file, _row_number) as copies
        from {RAW}."{contract.table}" where _business_date between $lo and $hi
        group by {cols} having count(distinct hash({values})) > 1
    """
    count, days = con.execute(
        f"select count(*), list(distinct _business_date order by _business_date) from ({found})",
        {"lo": first, "hi": last},
    ).fetchone()
    first_ones = con.execute(
        f"select * from ({found}) order by _business_date, {cols} limit {SHOWN}", {"lo": first, "hi": last}
    ).fetchall()
    # a person's identifier (an openid key) is not shown: the file and row locate the record, and
    # results and messages reach quality tables, Data Docs and Dagster's run storage, which erasure
    # on request (`siyu forget`) should not have to rewrite
    hidden = person_columns(contract.source, contract.entity)
    groups = [
        (
            as_date(r[group.index("_business_date")]),
            {k: "[identifier]" if k in hidden else _shown(contract, k, r[group.index(k)]) for k in keys},
            r[-1],
        )
        for r in first_ones
    ]
    return groups, int(count), tuple(as_date(d) for d in days or [])
