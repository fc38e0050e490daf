"""What every journey function needs: the world, the sink, the chunk's random stream, and the
per-guide daily counters that become wecom/user_behavior at the end."""

from __future__ import annotations

import random

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
        self.behavior: dict[tuple[str, int], list[float]] = {}

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
        row = self.behavior.get((userid, day))
        if row is None:
            row = self.behavior[(userid, day)] = [0] * 8
        row[what] += n

    def nick(self, p) -> str:
        n = self.ids.number("nick", p.pid, 6)
        return NICK_WORDS[n % len(NICK_WORDS)] + NICK_TAILS[n // 97 % len(NICK_TAILS)]

    def name(self, p) -> str:
        n = self.ids.number("name", p.pid, 6)
        return SURNAMES[n % len(SURNAMES)] + GIVEN[n // 31 % len(GIVEN)] + GIVEN[n // 977 % len(GIVEN)]

    def gender(self, p) -> int:
        return (0, 1, 2, 2, 2)[self.ids.number("gender", p.pid, 4) % 5]  # the brand's buyers are mostly women
