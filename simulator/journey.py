"""Phase B of a chunk: each person's behaviour, in dependency order (friendships before the
messages they carry, delivered mass messages before the purchases they trigger, purchases before
the membership snapshots they create)."""

from __future__ import annotations

import random

from . import chats, contacts, douyin, exports, friends, groups, marketing, mp, oa, orders, youzan
from .clock import DAY
from .ctx import Ctx
from .ids import e164
from .people import Person, pick_guide
from .world import World

WRITERS = {"youzan": youzan.write, "douyin": douyin.write, "tmall": exports.tmall, "pos": exports.pos}


def live(ctx: Ctx, p: Person, chunk_groups: list) -> None:
    if p.dormant:
        return
    marketing.leads(ctx, p)
    friends.plan(ctx, p)
    friends.emit_events(ctx, p)
    groups.join(ctx, p, chunk_groups)
    oa.follow(ctx, p)
    mp.journey(ctx, p)
    marketing.fission(ctx, p)
    chats.emit_messages(ctx, p)
    chats.emit_groupmsg(ctx, p)
    _store_signup(ctx, p)
    for k, (t, channel, kind) in enumerate(orders.plan(ctx, p)):
        order = WRITERS[channel](ctx, p, t, orders.basket(ctx, p, kind), k)
        if order.rows:
            p.orders.append(order)
    contacts.emit_snapshots(ctx, p)
    oa.emit_snapshots(ctx, p)
    mp.emit_snapshots(ctx, p)
    exports.member_snapshots(ctx, p)


def _store_signup(ctx: Ctx, p: Person) -> None:
    """Store visitors often join the membership at their first visit, even without buying."""
    if p.path == "store" and p.kind == "customer" and (p.phone or p.placeholder) and ctx.rng.random() < 0.5:
        p.card, p.card_t, p.card_store = ctx.ids.card_no(p.pid), p.t0, p.store


def staff_and_tests(world: World) -> tuple[random.Random, list[Person]]:
    """Employees (every one is a person of the truth; a third also follow the OA, buy with their own
    phone or are a colleague's WeCom contact) and the test accounts listed in org/test_account."""
    rng = random.Random(f"{world.seed}:staff")
    win, ids, out = world.window, world.ids, []
    for e in world.employees:
        if e.hired >= win.end:
            continue   # hired after the last day: in no org/employee snapshot yet
        t0 = max(e.hired, win.history_start)
        p = Person(e.pid, "employee", e.store, e.pid, e.mobile, None, "oa", t0, None, True)
        p.ext = ids.external_userid(e.pid)
        p.seen("employee_userid", e.userid)
        if e.mobile:
            p.seen("phone", e164(e.mobile))
        p.dormant = not (rng.random() < 0.35 and e.left is None)
        if not p.dormant:
            p.unionid = ids.unionid(e.pid) if rng.random() < 0.8 else None
            p.oa_t = p.t0 + rng.randrange(DAY, 60 * DAY) if rng.random() < 0.6 else None
            p.mp_t = p.t0 + rng.randrange(DAY, 90 * DAY) if rng.random() < 0.3 else None
            mates = [g for g in world.guides_by_store.get(e.store, []) if g is not e]
            if mates and rng.random() < 0.3:
                p.guide = rng.choice(mates)
                p.pool_t = max(p.t0, p.guide.hired) + rng.randrange(DAY, 30 * DAY)
        out.append(p)
    for _, _, _, pid in world.test_accounts:
        t0 = win.start + rng.randrange(win.end - win.start - 2 * DAY)
        p = Person(pid, "test", "S001", pid, ids.phone(pid), ids.unionid(pid), "oa", t0, None, False)
        p.ext = ids.external_userid(pid)
        p.guide = pick_guide(rng, world, "S001", t0)
        p.pool_t, p.oa_t, p.mp_t = t0 + 3600, t0, t0 + 7200
        out.append(p)
    return rng, out
