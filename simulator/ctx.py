"""What every journey function needs: the world, the sink, the chunk's random stream, and the
per-guide daily counters that become wecom/user_behavior at the end."""

from __future__ import annotations

import random
from array import array

from .catalog import GIVEN, NICK_TAILS, NICK_WORDS, SURNAMES
from .sink import Sink
from .world import World

# wecom/user_behavior counters per (userid, business day).
APPLY, CONTACT, CHAT, MSG, SESSIONS, REPLIED, REPLY_MIN, NEGATIVE = range(8)


class Ctx:
    def __init__(self, world: World, sink: Sink):
        self.world = world
        self.sink = sink
        self.win = world.window
        self.cfg = world.cfg
        self.ids = world.ids
        self.rng = random.Random(0)
        # userid → the counters of every window day, 8 a day: a flat array is 64 bytes a guide-day where
        # a list per (userid, day) took ~250 (~190,000 guide-days at 250,000 customers × 365 days)
        self.behavior: dict[str, array] = {}

    def put(self, p, src: str, ent: str, day: int, rec, tags: tuple[str, ...] = (), variant: str = "",
            shapes: tuple[str, ...] = ()) -> bool:
        """Offer a record about person `p` (None for brand-level records); `shapes` names the
        legitimate variations it carries (shapes.py)."""
        return self.sink.put(self.rng, src, ent, day, rec, test=p is not None and p.kind == "test", tags=tags,
                             variant=variant, shapes=shapes)

    def snaps(self, key: str) -> tuple[int, ...]:
        """The days a snapshot entity is delivered (some scheduled days are skipped)."""
        return self.world.snapshots[key]

    def bump(self, userid: str, day: int, what: int, n: float = 1) -> None:
        i, days = day - self.win.first_day, self.win.last_day - self.win.first_day + 1
        if not 0 <= i < days:
            return   # never reported: user_behavior has rows for window days only
        row = self.behavior.get(userid)
        if row is None:
            row = self.behavior[userid] = array("d", bytes(8 * 8 * days))
        row[i * 8 + what] += n

    def counters(self, userid: str, day: int) -> list[float]:
        """The 8 counters of `userid` on window day `day` (zeros when nothing happened)."""
        row = self.behavior.get(userid)
        i = (day - self.win.first_day) * 8
        return row[i:i + 8].tolist() if row is not None else [0.0] * 8

    def nick(self, p) -> str:
        n = self.ids.number("nick", p.pid, 6)
        return NICK_WORDS[n % len(NICK_WORDS)] + NICK_TAILS[n // 97 % len(NICK_TAILS)]

    def name(self, p) -> str:
        n = self.ids.number("name", p.pid, 6)
        return SURNAMES[n % len(SURNAMES)] + GIVEN[n // 31 % len(GIVEN)] + GIVEN[n // 977 % len(GIVEN)]

    def gender(self, p) -> int:
        return (0, 1, 2, 2, 2)[self.ids.number("gender", p.pid, 4) % 5]  # the brand's buyers are mostly women
