"""The brand's mini program: users (with authorised phones), tracking events, and share visits."""

from __future__ import annotations

from .catalog import MP_PAGES, MP_SCENES, PRODUCTS
from .clock import DAY, day_of, day_start
from .ctx import Ctx
from .ids import e164, show_phone
from .people import Person

MAX_EVENTS = 480  # per person: keeps event ids unique within the pid × 512 space
UTM = {"douyin_ads": ("douyin", "cpc"), "xiaohongshu": ("xiaohongshu", "note"), "live": ("douyin", "live")}


def event(ctx: Ctx, p: Person, t: int, name: str, page: str | None = None, scene: str | None = None,
          **extra) -> None:
    if p.mp_events >= MAX_EVENTS or not ctx.win.contains(t):
        return
    p.mp_events += 1
    openid = ctx.ids.mp_openid(p.pid)
    rec = {"event_id": f"ev{ctx.ids.order_no('mpev', p.pid, p.mp_events, 18):018d}", "openid": openid,
           "event": name, "page_path": page or ctx.rng.choice(MP_PAGES),
           "scene": scene or ctx.rng.choice(MP_SCENES)}
    rec.update(extra)
    rec["ts"] = t * 1000 + ctx.rng.randrange(1000)
    shapes: tuple[str, ...] = ()
    if t >= ctx.win.start + (ctx.win.end - ctx.win.start) // 2:   # the tracking SDK was upgraded mid-window
        rec.update(sdk_version="3.2.1", os=("ios", "android")[p.pid % 2])
        shapes = ("extra_keys",)
    ctx.put(p, "mp", "event", day_of(t), rec, shapes=shapes)
    p.seen("mp_openid", openid, t)


def _visit(ctx: Ctx, p: Person, t: int, **first) -> None:
    rng = ctx.rng
    for i in range(rng.randint(1, 5)):
        sku = rng.choice(PRODUCTS)[0]
        page = f"/pages/goods/detail?sku={sku}" if i else None
        event(ctx, p, t + i * rng.randrange(5, 120), "page_view", page, **(first if i == 0 else {}))
    if rng.random() < 0.3:
        event(ctx, p, t + 600, "add_to_cart", "/pages/cart/index")
    if rng.random() < 0.06:
        event(ctx, p, t + 660, "share", "/pages/activity/trial")


def journey(ctx: Ctx, p: Person) -> None:
    rng, win = ctx.rng, ctx.win
    if p.mp_t is None or p.mp_t >= win.end:
        return
    q = p.inviter if p.path == "mp_share" else None
    if q is not None:
        sharer = ctx.ids.mp_openid(q.pid)
        event(ctx, q, p.t0 - rng.randrange(60, 7200), "share", "/pages/activity/trial")
        event(ctx, p, p.t0, "share_open", "/pages/activity/trial", rng.choice(("1007", "1008")),
              share_from_openid=sharer)
        p.seen("mp_openid", ctx.ids.mp_openid(p.pid), p.t0)
    elif p.campaign and p.campaign.utm and p.path == "mp":
        source, medium = UTM.get(p.campaign.channel, ("wechat", "article"))
        _visit(ctx, p, p.mp_t, scene="1037", utm_source=source, utm_medium=medium,
               utm_campaign=p.campaign.utm)
    else:
        _visit(ctx, p, p.mp_t)
    rate = 0.04 * (2 if p.heavy else 1) / DAY
    t = max(p.mp_t, win.start) + rng.expovariate(rate)
    while t < win.end:
        _visit(ctx, p, int(t))
        t += rng.expovariate(rate)


def emit_snapshots(ctx: Ctx, p: Person) -> None:
    if p.mp_t is None or p.mp_t >= ctx.win.end:
        return
    openid = ctx.ids.mp_openid(p.pid)
    rec = {"openid": openid}
    if p.unionid:
        rec["unionid"] = p.unionid
    authorised = p.phone is not None and ctx.ids.number("mp_phone", p.pid, 4) % 100 < 55
    if authorised:
        rec["phone_number"] = show_phone(p.phone, ctx.rng) if p.pid % 4 else p.phone
        rec["country_code"] = "86"
    rec["created_at"] = p.mp_t * 1000 + p.pid % 1000
    for d in ctx.snaps("mp/user"):
        if p.mp_t < day_start(d + 1):
            ctx.put(p, "mp", "user", d, rec)
            p.seen("mp_openid", openid, p.mp_t)
            if authorised:
                p.seen("phone", e164(p.phone))
            if p.unionid:
                p.seen("unionid", p.unionid)
