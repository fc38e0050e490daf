"""An online order's life, platform-neutral: creation, payment (or not), shipping, completion,
refund requests and how they end. Youzan, Douyin and Tmall writers map it to their own statuses."""

from __future__ import annotations

from dataclasses import dataclass, field

from .clock import DAY
from .ctx import Ctx
from .orders import Basket

HOUR = 3600


@dataclass
class Refund:
    created: int
    fen: int
    steps: list[tuple[int, str]]   # (time, Youzan-style refund status); the last one is final
    before_shipping: bool

    @property
    def final(self) -> tuple[int, str]:
        return self.steps[-1]


@dataclass
class Life:
    created: int
    paid: int | None = None
    shipped: int | None = None
    done: int | None = None
    closed: int | None = None
    refunds: list[Refund] = field(default_factory=list)

    def states(self, total_fen: int) -> list[tuple[int, str, int, int]]:
        """Every change as (time, status, refund_state, refunded_fen so far), in time order.
        status: unpaid | paid | shipped | done | closed; refund_state uses Youzan's codes."""
        changes: list[tuple[int, int, str, object]] = [(self.created, 0, "status", "unpaid")]
        steps = ((self.paid, "paid"), (self.shipped, "shipped"), (self.done, "done"), (self.closed, "closed"))
        for t, s in steps:
            if t is not None:
                changes.append((t, 1, "status", s))
        for r in self.refunds:
            full = r.fen >= total_fen
            changes.append((r.created, 2, "refund", 11 if full else 1))
            t, status = r.final
            changes.append((t, 3, "refund", (12 if full else 2) if status == "SUCCESS" else 0))
            if status == "SUCCESS":
                changes.append((t, 4, "money", r.fen))
        changes.sort(key=lambda c: (c[0], c[1]))
        out, status, rstate, refunded = [], "unpaid", 0, 0
        for t, _, what, value in changes:
            if what == "status":
                status = value
            elif what == "refund":
                rstate = value
            else:
                refunded += value
            if out and out[-1][0] == t:
                out[-1] = (t, status, rstate, refunded)
            else:
                out.append((t, status, rstate, refunded))
        return out


def live(ctx: Ctx, b: Basket, created: int) -> Life:
    rng, cfg = ctx.rng, ctx.cfg
    life = Life(created)
    if b.kind in ("full", "trial") and rng.random() < cfg.unpaid_share:
        life.closed = created + 30 * 60   # unpaid orders close after 30 minutes
        return life
    life.paid = created + rng.randrange(5, 900)
    total = b.total_fen
    if total > 0 and b.kind in ("full", "trial") and rng.random() < cfg.refund_share:
        if rng.random() < 0.35:   # full refund before shipping: the order closes, paid but net 0
            start = life.paid + rng.randrange(600, 20 * HOUR)
            end = start + rng.randrange(HOUR, 24 * HOUR)
            life.refunds.append(Refund(start, total, [(start, "WAIT_SELLER_AGREE"), (end, "SUCCESS")], True))
            life.closed = end
            return life
        _ship(rng, life)
        start = life.shipped + rng.randrange(DAY, 8 * DAY)
        fen = total if rng.random() < 0.3 else max(1, round(total * rng.uniform(0.2, 0.7)))
        steps = [(start, "WAIT_SELLER_AGREE")]
        if rng.random() < 0.5:
            steps += [(start + DAY, "WAIT_BUYER_RETURN_GOODS"),
                      (start + 3 * DAY, "WAIT_SELLER_CONFIRM_GOODS")]
        u = rng.random()
        final = "SUCCESS" if u < 0.75 else "SELLER_REFUSE_BUYER" if u < 0.9 else "CLOSED"
        steps.append((steps[-1][0] + rng.randrange(HOUR, 2 * DAY), final))
        life.refunds.append(Refund(start, fen, steps, False))
        if final == "SUCCESS" and fen >= total:
            life.closed = steps[-1][0]
            if life.done and life.done > life.closed:
                life.done = None
        return life
    _ship(rng, life)
    return life


def _ship(rng, life: Life) -> None:
    life.shipped = life.paid + rng.randrange(4 * HOUR, 48 * HOUR)
    life.done = life.shipped + rng.randrange(3 * DAY, 10 * DAY)
