"""Time in the simulator: UTC epoch seconds inside, Beijing business days outside.

A business day is an integer `d` = days since 1970-01-01 in Asia/Shanghai (UTC+8, no DST), so
`day_of(t) = (t + 8 h) // 1 day` and day `d` starts at `d × 86400 − 8 h` UTC.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import date, timedelta

DAY = 86_400
BJ = 8 * 3600
EPOCH = date(1970, 1, 1)

# Hourly activity shapes (Beijing hour → weight): shoppers peak at lunch and 20–23 h, stores
# trade 10–22 h, guides work 9–21 h.
PROFILES = {
    "online": (1, 1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 4, 5, 6, 5, 4, 4, 4, 5, 6, 7, 9, 10, 9, 5),
    "store": (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 6, 7, 6, 6, 7, 8, 9, 10, 10, 9, 6, 2, 0),
    "office": (0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 6, 7, 5, 5, 6, 6, 6, 5, 4, 4, 3, 2, 0, 0),
}
_CUM = {}
for _name, _weights in PROFILES.items():
    _total, _acc = sum(_weights), []
    for _w in _weights:
        _acc.append((_acc[-1] if _acc else 0) + _w / _total)
    _CUM[_name] = _acc

_DAY_STR: dict[int, str] = {}
SNAPSHOT_ENTITIES = ("wecom/external_contact", "wecom/group_chat", "oa/user", "mp/user", "tmall/member",
                     "pos/member")


def day_of(t: int) -> int:
    return (t + BJ) // DAY


def day_start(d: int) -> int:
    return d * DAY - BJ


def day_str(d: int) -> str:
    s = _DAY_STR.get(d)
    if s is None:
        s = _DAY_STR[d] = (EPOCH + timedelta(days=d)).isoformat()
    return s


def local(t: int) -> str:
    """'YYYY-MM-DD HH:MM:SS' Beijing, as Youzan, Tmall, POS and Ocean Engine write it."""
    d, r = divmod(t + BJ, DAY)
    return f"{day_str(d)} {r // 3600:02d}:{r // 60 % 60:02d}:{r % 60:02d}"


def iso_utc(t: int | None) -> str:
    if t is None:
        return ""
    d, r = divmod(t, DAY)
    return f"{day_str(d)}T{r // 3600:02d}:{r // 60 % 60:02d}:{r % 60:02d}Z"


def at_hour(rng: random.Random, d: int, profile: str = "online") -> int:
    """A time on Beijing day `d` drawn from an hourly activity profile."""
    hour = bisect.bisect_right(_CUM[profile], rng.random())
    return day_start(d) + min(hour, 23) * 3600 + rng.randrange(3600)


@dataclass(frozen=True)
class Window:
    """The simulated business days: first … last (Beijing), and the history before them."""

    first_day: int
    last_day: int
    history_days: int
    snapshot_every: int

    @classmethod
    def of(cls, end: date, days: int, history_days: int, snapshot_every: int) -> Window:
        last = (end - EPOCH).days
        return cls(last - days + 1, last, history_days, snapshot_every)

    @property
    def start(self) -> int:
        return day_start(self.first_day)

    @property
    def end(self) -> int:
        """Exclusive: the first second after the last business day."""
        return day_start(self.last_day + 1)

    @property
    def history_start(self) -> int:
        return self.start - self.history_days * DAY

    @property
    def days(self) -> range:
        return range(self.first_day, self.last_day + 1)

    @property
    def snapshot_days(self) -> tuple[int, ...]:
        picks = set(range(self.first_day, self.last_day + 1, self.snapshot_every))
        picks.add(self.last_day)
        return tuple(sorted(picks))

    def contains(self, t: int) -> bool:
        return self.start <= t < self.end

    def snapshot_schedule(self, seed: int, skip: float) -> dict[str, tuple[int, ...]]:
        """Per platform snapshot entity, the scheduled days it is delivered: each middle day is skipped
        with probability `skip` (a collector that failed that night; the previous snapshot holds); the
        first and last never are. The brand's own org/* files always arrive."""
        planned = self.snapshot_days
        out = {}
        for key in SNAPSHOT_ENTITIES:
            r = random.Random(f"{seed}:skip:{key}")
            kept = (i in (0, len(planned) - 1) or r.random() >= skip for i in range(len(planned)))
            out[key] = tuple(d for d, keep in zip(planned, kept, strict=True) if keep)
        return out
