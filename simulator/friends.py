"""WeCom friendships: when they start and end (deletions, transfers, re-adds) and the contact_event
callbacks that report it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import REMARK_TAGS
from .clock import DAY, day_of
from .ctx import APPLY, CONTACT, NEGATIVE, Ctx
from .ids import masked, show_phone
from .people import Person, pick_guide
from .world import Employee

CUSTOMER_INITIATED = (1, 3, 4, 16)


@dataclass(eq=False)
class Friendship:
    person: Person
    guide: Employee
    start: int
    add_way: int
    state: str | None
    end: int | None = None
    reason: str | None = None   # del_follow_user | del_external_contact | transfer
    logged: bool = True         # False: the deletion callback never arrived
    fail_t: int | None = None   # a transfer_fail callback
    mobiles: list = field(default_factory=list)
    shows_phone: bool = False   # remark_mobiles carries the person's real phone unmasked
    tags: list = field(default_factory=list)
    remark_written: bool = False
    description_written: bool = False


def _first_add(ctx: Ctx, p: Person) -> tuple[int, str | None]:
    rng, c = ctx.rng, p.campaign
    if p.kind == "other_corp":
        return rng.choice((3, 5, 6)), None
    if p.kind == "test":
        return 1, "test_qr"
    if rng.random() < 0.05 and p.guide:  # a guide's personal QR code: a state nobody mapped
        return 1, f"{p.guide.userid}_qr"
    state = c.state_for(p.store) if c else None
    if p.path == "lead":
        return (16, state) if rng.random() < 0.3 else (2, None)
    if p.path in ("wecom_ad", "store", "live"):
        return (16 if p.path == "wecom_ad" and rng.random() < 0.6 else 1), state
    if p.path == "fission":
        return (4, None) if rng.random() < 0.2 else (1, state)
    if p.path == "marketplace":
        return rng.choice((1, 3)), ("pkg_card" if rng.random() < 0.5 else None)
    return rng.choice((1, 1, 3, 6)), None


def _new(ctx: Ctx, p: Person, g: Employee, start: int, add_way: int, state: str | None) -> Friendship:
    rng = ctx.rng
    f = Friendship(p, g, start, add_way, state)
    if p.phone and (add_way == 2 or rng.random() < 0.4):
        f.shows_phone = rng.random() < 0.95
        f.mobiles.append(show_phone(p.phone, rng) if f.shows_phone else masked(p.phone))
    if p.placeholder and rng.random() < 0.3:
        f.mobiles.append(p.placeholder)
    if g.lazy_phone and rng.random() < 0.25:
        f.mobiles.append(g.mobile)
    f.tags = sorted(rng.sample(range(len(REMARK_TAGS)), rng.randrange(4)))
    f.remark_written = rng.random() < ctx.cfg.shapes.remark_written
    f.description_written = rng.random() < ctx.cfg.shapes.description_written
    p.friendships.append(f)
    return f


def plan(ctx: Ctx, p: Person) -> None:
    if p.pool_t is None or p.guide is None or p.pool_t >= ctx.win.end:
        return
    _chain(ctx, p, p.guide, p.pool_t, *_first_add(ctx, p), depth=0)
    if p.kind == "customer" and ctx.rng.random() < ctx.cfg.second_guide_share:
        t = p.pool_t + ctx.rng.randrange(DAY, 30 * DAY)
        others = [e for e in ctx.world.service + ctx.world.guides_by_store.get(p.store, [])
                  if e is not p.guide and e.active(t)]
        if t < ctx.win.end and others:
            _chain(ctx, p, ctx.rng.choice(others), t, 3, None, depth=3)


def _chain(ctx: Ctx, p: Person, g: Employee, start: int, add_way: int, state, depth: int) -> None:
    rng, cfg, win = ctx.rng, ctx.cfg, ctx.win
    if g.left is not None and g.left <= max(start, win.start):
        # The guide left before the window: the relation was handed over before we can see it.
        heir = pick_guide(rng, ctx.world, g.store, g.left) or g.successor
        if heir and depth < 4:
            _chain(ctx, p, heir, max(start, g.left) + rng.randrange(600, 20 * 3600), 202, None, depth + 1)
        return
    f = _new(ctx, p, g, start, add_way, state)
    frm = max(start, win.start)  # pre-window relations are the ones still alive at the window start
    h_c, h_g = cfg.customer_delete_per_day / DAY, cfg.guide_delete_per_day * g.delete_mult / DAY
    early = start + 14 * DAY
    c_del = frm + rng.expovariate(3 * h_c) if frm < early else frm + rng.expovariate(h_c)
    if frm < early and c_del >= early:
        c_del = early + rng.expovariate(h_c)
    ends = [(c_del, "del_follow_user"), (frm + rng.expovariate(h_g), "del_external_contact")]
    if g.left is not None:
        ends.append((g.left + rng.randrange(2 * DAY), "transfer"))
    elif rng.random() < cfg.inservice_transfer_share:
        ends.append((frm + rng.randrange(max(win.end - frm, 1)), "transfer"))
    t, why = min(ends)
    t = int(t)
    if t >= win.end or depth >= 4:
        return
    if why == "transfer":
        mates = [m for m in ctx.world.guides_by_store.get(g.store, []) if m is not g and m.active(t + DAY)]
        heir = g.successor if g.left is not None else (rng.choice(mates) if mates else None)
        if heir is None:
            return
        if rng.random() < cfg.transfer_fail_share:
            f.fail_t = t   # the customer refused: the relation stays where it was
            return
        f.end, f.reason = t, why
        way = 202 if g.left is not None else 201   # 离职继承 by the admin, or 在职继承 between colleagues
        _chain(ctx, p, heir, t + rng.randrange(600, 20 * 3600), way, None, depth + 1)
        return
    f.end, f.reason = t, why
    readd = rng.random() < (cfg.readd_share if why == "del_follow_user" else cfg.readd_share / 2)
    f.logged = why == "del_follow_user" or readd or rng.random() >= cfg.lost_callback_share
    if readd:
        again = t + rng.randrange(DAY, 20 * DAY)
        g2 = g if g.active(again) else pick_guide(rng, ctx.world, p.store, again)
        if g2 and again < win.end:
            _chain(ctx, p, g2, again, rng.choice((1, 2, 3)), None, depth + 1)


def emit_events(ctx: Ctx, p: Person) -> None:
    win, rng, corp = ctx.win, ctx.rng, ctx.world.corp_id

    def event(t: int, change: str, g: Employee, **extra) -> None:
        rec = {"ToUserName": corp, "FromUserName": "sys", "CreateTime": t, "MsgType": "event",
               "Event": "change_external_contact", "ChangeType": change, "UserID": g.userid,
               "ExternalUserID": p.ext, **extra}
        shapes: tuple[str, ...] = ()
        if rng.random() < ctx.cfg.shapes.xml_strings:   # converted from the callback's XML
            rec, shapes = {k: str(v) for k, v in rec.items()}, ("xml_strings",)
        ctx.put(p, "wecom", "contact_event", day_of(t), rec, shapes=shapes)
        p.seen("external_userid", p.ext, t)

    for k, f in enumerate(p.friendships):
        g = f.guide
        if win.contains(f.start):
            extra = {"State": f.state} if f.state else {}
            if f.add_way not in (201, 202):
                extra["WelcomeCode"] = ctx.ids.token("welcome", p.pid * 64 + k, 32)
            half = f.add_way in CUSTOMER_INITIATED and rng.random() < 0.08
            event(f.start, "add_half_external_contact" if half else "add_external_contact", g, **extra)
            ctx.bump(g.userid, day_of(f.start), CONTACT)
            if f.add_way == 2:
                ctx.bump(g.userid, day_of(f.start), APPLY)
            edit = f.start + rng.randrange(3600, 5 * DAY)
            if rng.random() < 0.1 and edit < min(f.end or win.end, win.end):
                event(edit, "edit_external_contact", g)
        if f.fail_t is not None and win.contains(f.fail_t):
            reason = rng.choice(("customer_refused", "customer_limit_exceed"))
            event(f.fail_t, "transfer_fail", g, FailReason=reason)
        if f.end is not None and win.contains(f.end) and f.logged:
            if f.reason == "del_follow_user":
                event(f.end, "del_follow_user", g)
                ctx.bump(g.userid, day_of(f.end), NEGATIVE)
            else:
                event(f.end, "del_external_contact", g,
                      **({"Source": "DELETE_BY_TRANSFER"} if f.reason == "transfer" else {}))
