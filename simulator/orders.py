"""When people buy, where, and what: the purchase plan shared by every shop writer.

Revenue concentration comes from two things: a lognormal basket multiplier (σ 0.9) and a 5% of
heavy repurchasers buying 6× as often; together the top 20% of buyers bring roughly two thirds of
net revenue, which marts.revenue_pareto should show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .clock import DAY, at_hour, day_of
from .config import PATHS
from .ctx import Ctx
from .people import Person
from .world import Product

# Share of first purchases that are a 9.9/19.9/39.9 元 trial, by acquisition path.
TRIAL_FIRST = {"lead": 0.7, "wecom_ad": 0.7, "fission": 0.6, "mp": 0.5, "mp_share": 0.55, "oa": 0.45,
               "live": 0.35, "marketplace": 0.25, "store": 0.0}
CHANNELS = ("youzan", "pos", "tmall", "douyin")
PREFERENCE = {"store": (0.25, 0.65, 0.05, 0.05), "live": (0.15, 0.0, 0.1, 0.75),
              "marketplace": (0.2, 0.0, 0.5, 0.3)}
DEFAULT_PREFERENCE = (0.6, 0.15, 0.15, 0.1)


@dataclass
class Line:
    product: Product
    qty: int
    pay_fen: int
    present: bool = False


@dataclass
class Basket:
    kind: str   # trial | full | gift | sample | zero | test
    lines: list[Line]
    post_fen: int = 0

    @property
    def goods_fen(self) -> int:
        return sum(line.pay_fen for line in self.lines)

    @property
    def total_fen(self) -> int:
        return self.goods_fen + self.post_fen


@dataclass
class Order:
    source: str
    order_id: str
    person: Person
    basket: Basket
    paid_at: int | None = None
    paid_fen: int = 0
    refunded_fen: int = 0
    defective: bool = False
    rows: int = 0   # landing rows written for it (an order with none is not in the truth)
    live_room: str | None = None   # the live stream a line was bought in (Douyin lines' room_id)

    @property
    def is_paid(self) -> bool:
        return (self.paid_at is not None and self.paid_fen > 0
                and self.basket.kind not in ("gift", "sample", "zero"))

    @property
    def is_trial(self) -> bool:
        return (self.is_paid and self.paid_fen > self.refunded_fen
                and all(line.product.is_trial for line in self.basket.lines))


def basket(ctx: Ctx, p: Person, kind: str) -> Basket:
    rng, w = ctx.rng, ctx.world
    if kind == "trial":
        prod = rng.choice(w.trial)
        return Basket(kind, [Line(prod, 1, round(prod.price * 100))])
    if kind == "sample":
        return Basket(kind, [Line(s, 1, 0) for s in rng.sample(w.samples, rng.randint(1, 2))])
    if kind == "test":
        return Basket(kind, [Line(w.trial[0], 1, 1)])
    full = w.full
    weights = [1 / math.sqrt(x.price) for x in full]
    n = 1 + min(3, _poisson(rng, 0.5 * p.value))
    lines = []
    picks: list[Product] = []
    while len(picks) < n:
        prod = rng.choices(full, weights)[0]
        if prod not in picks:
            picks.append(prod)
    for prod in picks:
        qty = 2 if rng.random() < 0.15 else 1
        pay = 0 if kind in ("gift", "zero") else round(prod.price * qty * 100 * rng.uniform(0.8, 1.0))
        lines.append(Line(prod, qty, pay, present=kind == "gift"))
    if kind == "full" and (p.heavy or p.value > 3) and rng.random() < 0.4:
        box = max(full, key=lambda x: x.price) if rng.random() < 0.5 else rng.choice(full)
        lines.append(Line(box, 1, round(box.price * 100 * 0.9)))
    if kind == "full" and rng.random() < 0.25:
        lines.append(Line(rng.choice(w.samples), 1, 0, present=True))  # a free sample in the parcel
    b = Basket(kind, lines)
    b.post_fen = 0 if b.goods_fen >= 9900 or kind != "full" else 800
    return b


def _poisson(rng, lam: float) -> int:
    k, limit, prod = 0, math.exp(-lam), rng.random()
    while prod > limit and k < 20:
        k += 1
        prod *= rng.random()
    return k


def plan(ctx: Ctx, p: Person) -> list[tuple[int, str, str]]:
    """[(time, channel, basket kind)] for the in-window purchases and claims of a person."""
    rng, win, cfg = ctx.rng, ctx.win, ctx.cfg
    if p.kind == "other_corp":
        return []
    reach = min([t for t in (p.pool_t, p.oa_t, p.group_t) if t is not None], default=None)
    out: list[tuple[int, str, str]] = []
    first = None
    if p.kind == "test":
        return [(win.start + rng.randrange(win.end - win.start), "youzan", "test") for _ in range(2)]
    if not p.pre and rng.random() < min(0.95, PATHS[p.path][5] * (1.25 if reach else 1)):
        first = p.t0   # a marketplace order, a live-room order or a store receipt is itself the first touch
        if p.path not in ("marketplace", "live", "store"):
            first = int((reach or p.t0) + rng.expovariate(1 / (4 * DAY)))
            first = max(at_hour(rng, day_of(first), "online"), p.t0 + 60)
        kind = "trial" if rng.random() < TRIAL_FIRST.get(p.path, 0.3) else "full"
        out.append((first, _channel(ctx, p, first=True, trial=kind == "trial"), kind))
    elif p.pre and rng.random() < 0.45:
        first = win.start
    if first is not None:
        rate = cfg.repurchase_per_day * (cfg.friend_boost if reach else 1) * (6 if p.heavy else 1) / DAY
        t = first + rng.expovariate(rate)
        while t < win.end and len(out) < 80:
            out.append((max(at_hour(rng, day_of(int(t)), "online"), first + 60), _channel(ctx, p), "full"))
            t += rng.expovariate(rate)
    for t, g in p.receipts:
        if rng.random() < cfg.mass_msg_purchase * g.conv_mult * (2 if out else 1):
            out.append((t + int(min(rng.expovariate(1 / 36000), 72 * 3600)), "youzan", "full"))
    if reach and rng.random() < 0.06:
        claimed = int(reach + rng.expovariate(1 / (5 * DAY)))
        out.append((claimed, rng.choice(("youzan", "youzan", "douyin")), "sample"))
    u = rng.random()
    if reach and u < 0.017:
        out.append((int(reach + rng.randrange(30 * DAY)), "youzan", "gift" if u < 0.01 else "zero"))
    # At most 120 orders a person: order ids are numbered k < 128 within the person's id space.
    return sorted(x for x in out if win.contains(x[0]) and x[0] >= p.t0)[:120]


def _channel(ctx: Ctx, p: Person, first: bool = False, trial: bool = False) -> str:
    rng = ctx.rng
    if first and p.path == "live":
        return "douyin"
    if first and p.path == "store":
        return "pos"
    weights = PREFERENCE.get(p.path, DEFAULT_PREFERENCE)
    if trial:  # POS receipts carry no SKUs, so a trial is bought online
        weights = (weights[0] + weights[1], 0.0, weights[2], weights[3])
    return rng.choices(CHANNELS, weights)[0]
