"""A pull run: one source, some days, its entities; each entity-day written atomically
(pulls/landing.py), each entity stopped alone by an error it cannot get past.

Which days: an events entity (what happened on a day) is pulled for every day asked; a snapshot
(the platform's state, which no API gives as of a past date) only for the last day asked, and only
when that is yesterday or today in Beijing — the state now is that day's end state. The default day
is yesterday: WeCom's counters for a day are complete the next morning, and the nightly build at
02:00 loads yesterday's folders.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from pulls import sources
from pulls.errors import MissingCredentials, PullError
from pulls.landing import write_day
from pulls.source import BEIJING, Day, Entity, Source


@dataclass(frozen=True)
class Landed:
    """What one entity-day did."""

    source: str
    entity: str
    day: date
    rows: int = 0
    changed: bool = False
    error: str | None = None  # the entity stopped here (its later days were not pulled)
    skipped: str | None = None  # why nothing was asked for

    def line(self) -> str:
        head = f"{self.source}/{self.entity} {self.day}"
        if self.error:
            return f"{head}: FAILED — {self.error}"
        if self.skipped:
            return f"{head}: skipped — {self.skipped}"
        if self.rows == 0:
            return f"{head}: no records; nothing landed"
        what = "landed" if self.changed else "unchanged (the same bytes as the delivery in place)"
        return f"{head}: {self.rows} records {what}"


def beijing_today() -> date:
    return datetime.now(BEIJING).date()


def source(name: str) -> Source:
    found = sources()
    if name not in found:
        raise KeyError(f"no pull for source {name!r}; pulled sources: {', '.join(found)}")
    return found[name]


def check_credentials(src: Source, env: Mapping[str, str]) -> None:
    missing = [v for v in src.credentials if not env.get(v)]
    if missing:
        raise MissingCredentials(src.name, missing)


def days_for(entity: Entity, days: list[date], today: date) -> tuple[list[date], str | None]:
    if entity.kind == "events":
        return days, None
    last, yesterday = max(days), today - timedelta(days=1)
    if last < yesterday:
        return [], (f"a snapshot is the platform's state now, so only yesterday's ({yesterday}) or "
                    "today's can be pulled")
    return [last], None


def pull(name: str, days: list[date], landing: Path, env: Mapping[str, str] | None = None,
         today: date | None = None, entities: list[str] | None = None, client=None,
         report: Callable[[Landed], None] = lambda landed: None) -> list[Landed]:
    """Pull `days` of source `name` into `landing`. Raises MissingCredentials (nothing written)."""
    env = os.environ if env is None else env
    src = source(name)
    check_credentials(src, env)
    client = client or src.client(env)
    today = today or beijing_today()
    out = []
    for entity in src.entities if entities is None else [src.entity(e) for e in entities]:
        wanted, why = days_for(entity, sorted(days), today)
        if why:
            out.append(Landed(src.name, entity.name, max(days), skipped=why))
            report(out[-1])
        for day in wanted:
            try:
                written = write_day(landing, src.name, entity.name, day, entity.file,
                                    entity.pull(client, Day(day, Path(landing))))
                out.append(Landed(src.name, entity.name, day, written.rows, written.changed))
            except PullError as exc:
                out.append(Landed(src.name, entity.name, day, error=str(exc)))
            except (KeyError, TypeError, ValueError) as exc:  # a success body without what it documents
                out.append(Landed(src.name, entity.name, day,
                                  error=f"unexpected answer ({type(exc).__name__}: {str(exc)[:120]})"))
            report(out[-1])
            if out[-1].error:
                break
    return out
