"""What a platform module declares: its credentials, how to build its client, and its entities —
each a landing entity of docs/sources.md with the file it lands as and a function yielding the day's
records in exactly the shape an export of that entity holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ingestion.contracts.model import BUSINESS_TIMEZONE

BEIJING = ZoneInfo(BUSINESS_TIMEZONE)


@dataclass(frozen=True)
class Day:
    """The business date a pull covers, with its Beijing-time bounds in epoch seconds."""

    day: date
    landing: Path

    @property
    def start(self) -> int:
        return int(datetime.combine(self.day, time(), BEIJING).timestamp())

    @property
    def end(self) -> int:
        """The next day's midnight (exclusive)."""
        return self.start + 86_400

    def local(self, offset_days: int = 0) -> str:
        """`YYYY-MM-DD 00:00:00` of this day (or a day after): the platforms' local-time bounds."""
        return f"{self.day + timedelta(days=offset_days)} 00:00:00"


@dataclass(frozen=True)
class Entity:
    name: str
    kind: str  # snapshot (the platform's state now) | events (what happened on the day)
    file: str  # the file name in the day folder
    pull: Callable[[object, Day], Iterator[dict]]  # (the source's client, the day) → records
    reference: str = ""  # the API pages the records come from


@dataclass(frozen=True)
class Source:
    name: str
    credentials: tuple[str, ...]  # environment variables, all required
    client: Callable[[Mapping[str, str]], object]  # the environment → a client (pulls/client.py)
    entities: tuple[Entity, ...]
    base_url_variable: str = ""  # an optional override of the API's address (a proxy, a test fake)

    def entity(self, name: str) -> Entity:
        for e in self.entities:
            if e.name == name:
                return e
        known = ", ".join(e.name for e in self.entities)
        raise KeyError(f"{self.name} has no pulled entity {name!r} (pulled: {known})")
