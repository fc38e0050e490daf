"""Anomalies an operator has confirmed: a blocking check's failure on a day that is real, not broken.

A store closes for a week, a shop stops a product line, a platform changes its price unit on purpose:
the `volume`, `amounts` or `duplicate_file` check then blocks a delivery that is right. Waiting a week
for the trailing median to absorb it would hold back every mart. `siyu accept <source>/<entity>
<check> <date> --note …` records the operator's word in quality.accepted_anomalies; from then on that
check's failure on that day of that table only warns, the finding keeps the operator's note, and the
next `siyu run` builds and publishes the marts.

Only those three checks can be accepted. A contract or accounting failure means rows that break the
source contract or a file that does not balance: no word from an operator makes those marts right.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

ACCEPTABLE = ("volume", "amounts", "duplicate_file")
TABLE = "quality.accepted_anomalies"
DDL = f"""
create schema if not exists quality;
create table if not exists {TABLE} (
    source varchar, entity varchar, check_name varchar, business_date date, note varchar,
    accepted_at timestamptz
)
"""


def accept(con, source: str, entity: str, check: str, day: date, note: str) -> None:
    """Record that `check` failing on `day` of source/entity is a real change (replaces an earlier note)."""
    if check not in ACCEPTABLE:
        raise ValueError(f"only {', '.join(ACCEPTABLE)} can be accepted, not {check!r}: "
                         "a contract or accounting failure means the delivery itself is wrong")
    if not note.strip():
        raise ValueError("say why the anomaly is real (--note): the next operator will read it")
    con.execute(DDL)
    key = "source = ? and entity = ? and check_name = ? and business_date = ?"
    con.execute(f"delete from {TABLE} where {key}", [source, entity, check, day])
    con.execute(f"insert into {TABLE} values (?, ?, ?, ?, ?, ?)",
                [source, entity, check, day, note.strip(), datetime.now(UTC)])


def notes_for(con, source: str, entity: str) -> dict[tuple[str, date], str]:
    """(check, day) -> the operator's note, for one raw table."""
    schema, name = TABLE.split(".")
    exists = con.execute("select count(*) from information_schema.tables where table_schema = ?"
                         " and table_name = ?", [schema, name]).fetchone()[0]
    if not exists:
        return {}
    rows = con.execute(f"select check_name, business_date, note from {TABLE} where source = ? and entity = ?",
                       [source, entity]).fetchall()
    return {(check, day): note for check, day, note in rows}


def apply(findings: list, notes: dict[tuple[str, date], str]) -> list:
    """A failed blocking finding every failed day of which the operator accepted only warns."""
    out = []
    for f in findings:
        days = f.failed_days
        if f.blocking and not f.success and days and all((f.check, d) in notes for d in days):
            accepted_notes = {str(d): notes[(f.check, d)] for d in days}
            f = dataclasses.replace(f, blocking=False, details={**f.details, "accepted": accepted_notes})
        out.append(f)
    return out
