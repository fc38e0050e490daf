"""Who the people of one chunk are and how they first meet the brand (phase A of a chunk).

Everything later behaviour depends on is fixed here: acquisition path, campaign and time, home
store and guide, when they would add the guide, follow the OA, open the mini program and join a
group. Invitation trees (fission, mini program shares) are built inside the chunk, so a chunk is
self-contained and chunks can be generated one after another with bounded memory.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from .campaigns import Campaign
from .clock import DAY, Window, at_hour, day_of
from .config import PATHS
from .ids import PLACEHOLDERS
from .world import Employee, World

HOUR = 3600
# Delay from first touch to the WeCom add, by path (mean days; 0 = the add is the first touch).
POOL_DELAY = {"lead": 1.5, "wecom_ad": 0, "store": 0.01, "oa": 6, "fission": 0.005, "live": 4, "mp": 5,
              "marketplace": 8, "mp_share": 3}


@dataclass(eq=False)
class Person:
    pid: int
    kind: str                      # customer | other_corp | employee | test
    store: str
    household: int
    phone: str | None              # the real phone they type (their own or the household's)
    unionid: str | None
    path: str
    t0: int
    campaign: Campaign | None
    pre: bool
    heavy: bool = False
    value: float = 1.0
    guide: Employee | None = None
    pool_t: int | None = None
    oa_t: int | None = None
    mp_t: int | None = None
    group_t: int | None = None
    placeholder: str | None = None
    inviter: Person | None = None
    generation: int = 0
    completes_task: bool = False
    self_invite: tuple | None = None   # (campaign, time) of scanning their own poster
    ext: str = ""
    ids_seen: dict = field(default_factory=dict)
    first_seen: int = 1 << 62
    friendships: list = field(default_factory=list)
    orders: list = field(default_factory=list)
    receipts: list = field(default_factory=list)   # (time, guide) of delivered one-to-one mass messages
    oa_spans: list = field(default_factory=list)    # (subscribed_at, unsubscribed_at | None)
    oa_code: str | None = None
    oa_scene: str = ""
    mp_events: int = 0
    group_spans: list = field(default_factory=list)
    card: str | None = None
    card_t: int | None = None
    card_store: str | None = None
    tm_member: tuple | None = None   # (member_id, nick, phone as typed, bound_at)
    invitations: list = field(default_factory=list)  # truth rows where this person is the invitee
    dormant: bool = False   # an employee who appears only in org/employee

    @property
    def person_id(self) -> str:
        return f"P{self.pid:08d}"

    def seen(self, id_type: str, value: str, t: int | None = None) -> None:
        self.ids_seen[(id_type, value)] = None
        if t is not None and t < self.first_seen:
            self.first_seen = t

    def touch(self, t: int) -> None:
        if t < self.first_seen:
            self.first_seen = t


def _weighted(rng: random.Random, items: list, weights: list[float]):
    return rng.choices(items, weights)[0] if items and sum(weights) > 0 else None


def pick_guide(rng: random.Random, world: World, store: str, t: int) -> Employee | None:
    guides = [g for g in world.guides_by_store.get(store, []) if g.active(t)]
    return _weighted(rng, guides, [g.add_mult for g in guides])


def _delay(rng: random.Random, mean_days: float) -> int:
    return int(rng.expovariate(1 / (mean_days * DAY))) if mean_days else 0


def new_person(rng: random.Random, world: World, pid: int, prev: Person | None) -> Person:
    cfg, win = world.cfg, world.window
    pre = rng.random() < cfg.pre_window_share
    paths = [p for p in PATHS if not (pre and p in ("fission", "mp_share"))]
    path = rng.choices(paths, [PATHS[p][0] for p in paths])[0]
    options = (world.choices_pre if pre else world.choices_in)[path]
    u, campaign = rng.random(), None
    for c, prob in options:
        if u < prob:
            campaign = c
            break
        u -= prob
    lo, hi = (win.history_start, win.start) if pre else (win.start, win.end)
    if campaign:
        lo, hi = max(lo, campaign.start), min(hi, campaign.end)
    t0 = lo + rng.randrange(max(hi - lo, 1))
    # People act by day, not at 4 a.m.
    shaped = at_hour(rng, day_of(t0), "store" if path == "store" else "online")
    t0 = shaped if lo <= shaped < hi else t0
    if path == "live" and not pre and world.live_rooms:
        _, start, end = rng.choice(world.live_rooms)
        t0 = start + rng.randrange(end - start)
    stores = [s for s in world.stores if world.store_open[s[0]] <= t0 and s[5] > 0] or world.stores[1:2]
    store = rng.choices([s[0] for s in stores], [s[5] for s in stores])[0]
    kind = "other_corp" if rng.random() < cfg.other_corp_share else "customer"
    p = Person(pid, kind, store, pid, None, None, path, t0, campaign, pre)
    if kind == "customer":
        if prev is not None and prev.kind == "customer" and prev.phone and rng.random() < cfg.household_share:
            p.household, p.phone = prev.household, prev.phone
        elif rng.random() < cfg.real_phone_share:
            p.phone = world.ids.phone(pid)
        share = 0.9 if path == "fission" else cfg.unionid_share
        p.unionid = world.ids.unionid(pid) if rng.random() < share else None
        if rng.random() < cfg.placeholder_phone_share:
            p.placeholder = rng.choice(PLACEHOLDERS)
    p.heavy = rng.random() < cfg.heavy_share
    p.value = math.exp(rng.gauss(0, cfg.value_sigma)) * (2 if p.heavy else 1)
    p.ext = world.ids.external_userid(pid, other_corp=kind == "other_corp")
    _plan_touches(rng, world, p)
    return p


def _plan_touches(rng: random.Random, world: World, p: Person) -> None:
    w, pool, oa, mp, group, _ = PATHS[p.path]
    if p.kind == "other_corp":
        p.pool_t, p.guide = p.t0, pick_guide(rng, world, p.store, p.t0)
        return
    guide = pick_guide(rng, world, p.store, p.t0)
    if guide and rng.random() < min(1.0, pool * guide.add_mult):
        p.guide, p.pool_t = guide, p.t0 + _delay(rng, POOL_DELAY[p.path])
    if rng.random() < oa:
        p.oa_t = p.t0 if p.path == "oa" else p.t0 + _delay(rng, 10)
    if rng.random() < mp:
        p.mp_t = p.t0 if p.path in ("mp", "mp_share") else p.t0 + _delay(rng, 8)
    if rng.random() < group:
        p.group_t = (p.pool_t or p.t0) + _delay(rng, 2 if p.path == "fission" else 12)


def make_chunk(world: World, index: int, first_pid: int, count: int) -> tuple[random.Random, list[Person]]:
    rng = random.Random(f"{world.seed}:chunk:{index}")
    people: list[Person] = []
    for i in range(count):
        people.append(new_person(rng, world, first_pid + i, people[-1] if people else None))
    link_invitations(rng, people, world.window)
    return rng, people


def link_invitations(rng: random.Random, people: list[Person], win: Window) -> None:
    """Fission invitees get an inviter already in the guide's pool before their scan; mini program
    share visitors get a sharer already using the mini program. About half the inviters are
    themselves invitees, which makes trees several generations deep."""
    pooled = sorted((p for p in people if p.pool_t is not None and p.kind == "customer"),
                    key=lambda p: p.pool_t)
    sharers = sorted((p for p in people if p.mp_t is not None and p.kind == "customer"), key=lambda p: p.mp_t)
    for path, pool, when in (("fission", pooled, "pool_t"), ("mp_share", sharers, "mp_t")):
        invitees = sorted((p for p in people if p.path == path and p.kind == "customer"), key=lambda p: p.t0)
        # A tenth of the pool actively shares posters; everyone else is invited, never inviting.
        sharing = [p for p in pool if rng.random() < 0.1 or p.path == path]
        j, ready, recent = 0, [], []
        for p in invitees:
            while j < len(sharing) and getattr(sharing[j], when) < p.t0:
                (recent if sharing[j].path == path and sharing[j].inviter else ready).append(sharing[j])
                j += 1
            pick_from = recent[-40:] if recent and rng.random() < 0.55 else ready or recent[-40:]
            candidates = [q for q in pick_from if q is not p]
            if not candidates:
                continue
            q = rng.choice(candidates)
            p.inviter = q
            same = q.inviter is not None and q.path == path and q.campaign is p.campaign
            p.generation = (q.generation if same else 0) + 1
            if path == "fission" and p.campaign and q.self_invite is None and rng.random() < 0.05:
                q.self_invite = (p.campaign, max(p.t0 - rng.randrange(1, 6 * HOUR), q.pool_t, win.start))
    counts: dict[int, int] = {}
    added = sorted((p for p in people if p.path == "fission" and p.inviter and p.pool_t),
                   key=lambda p: p.pool_t)
    for p in added:
        counts[p.inviter.pid] = counts.get(p.inviter.pid, 0) + 1
        p.completes_task = counts[p.inviter.pid] == 3  # the tool rewards the third friend added
