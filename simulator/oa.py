"""The Official Account (公众号): follows and unfollows, event pushes, and oa/user snapshots."""

from __future__ import annotations

from .clock import DAY, day_of, day_start
from .ctx import Ctx
from .people import Person

SCENES = ("ADD_SCENE_SEARCH", "ADD_SCENE_PROFILE_CARD", "ADD_SCENE_PROFILE_ITEM", "ADD_SCENE_PROFILE_LINK",
          "ADD_SCENE_ACCOUNT_MIGRATION", "ADD_SCENE_WECHAT_ADVERTISEMENT", "ADD_SCENE_REPRINT",
          "ADD_SCENE_LIVESTREAM", "ADD_SCENE_CHANNELS", "ADD_SCENE_WXA", "ADD_SCENE_OTHERS", "ADD_SCENE_PAID")
SCENE_WEIGHTS = (30, 15, 20, 6, 1, 6, 4, 3, 5, 8, 2, 1)
MENU_KEYS = ("MENU_MEMBER", "MENU_TRIAL", "MENU_STORES", "https://m.shanchayan.cn/member", "https://m.shanchayan.cn/new")


def follow(ctx: Ctx, p: Person) -> None:
    """Plan the subscription spans and push the in-window events."""
    rng, win, cfg = ctx.rng, ctx.win, ctx.cfg
    if p.oa_t is None or p.oa_t >= win.end:
        return
    code = None
    if p.campaign and p.path in ("oa", "store"):
        code = p.campaign.qr_for(p.store)
    scene = "ADD_SCENE_QR_CODE" if code else rng.choices(SCENES, SCENE_WEIGHTS)[0]
    p.oa_code, p.oa_scene = code, scene
    t, spans = p.oa_t, []
    while t < win.end and len(spans) < 4:
        out = int(max(t, win.start) + rng.expovariate(cfg.oa_unsubscribe_per_day / DAY))
        spans.append((t, out if out < win.end else None))
        if out >= win.end or rng.random() > 0.15:
            break
        t = out + rng.randrange(DAY, 30 * DAY)   # some come back
    p.oa_spans = spans
    openid = ctx.ids.oa_openid(p.pid)

    def push(t: int, event: str, key: str | None = None) -> None:
        rec = {"ToUserName": ctx.world.oa_id, "FromUserName": openid, "CreateTime": t, "MsgType": "event",
               "Event": event}
        shapes: tuple[str, ...] = ()
        if key is not None:
            rec["EventKey"] = key
        elif rng.random() < cfg.shapes.blank_optional_id:   # the XML's empty <EventKey/>, kept as ""
            rec["EventKey"], shapes = "", ("blank_optional_id",)
        ctx.put(p, "oa", "event", day_of(t), rec, shapes=shapes)
        p.seen("oa_openid", openid, t)

    for i, (start, end) in enumerate(spans):
        if win.contains(start):
            push(start, "subscribe", f"qrscene_{code}" if code and i == 0 else None)
        lo, hi = max(start, win.start), end or win.end
        s = lo + rng.expovariate(0.03 / DAY)   # menu clicks and links, ~1 a month
        while s < hi:
            qr = (p.campaign.qr_for(p.store) if p.campaign else None) or f"oa_store_{p.store}"
            key = rng.choice((qr, *MENU_KEYS))
            kind = "SCAN" if key == qr else "CLICK" if key.startswith("MENU") else "VIEW"
            push(int(s), kind, key)
            s += rng.expovariate(0.03 / DAY)
        if end is not None:
            push(end, "unsubscribe")


def emit_snapshots(ctx: Ctx, p: Person) -> None:
    if not p.oa_spans:
        return
    openid = ctx.ids.oa_openid(p.pid)
    tags = [100 + (p.pid % 7)] if p.pid % 3 else []
    for d in ctx.snaps("oa/user"):
        eod = day_start(d + 1)
        began = [(s, e) for s, e in p.oa_spans if s < eod]
        if not began:
            continue
        start, end = began[-1]
        if end is None or end >= eod:
            rec = {"subscribe": 1, "openid": openid}
            if p.unionid:
                rec["unionid"] = p.unionid
            rec.update(subscribe_time=start, subscribe_scene=p.oa_scene, qr_scene=0,
                       qr_scene_str=p.oa_code or "", tagid_list=tags, remark="", language="zh_CN", groupid=0)
            shapes = ("empty_remark", "extra_keys") + (() if p.oa_code else ("blank_optional_id",))
        else:
            rec = {"subscribe": 0, "openid": openid}
            if p.unionid:
                rec["unionid"] = p.unionid
            shapes = ("absent_optional",)   # a non-follower's row: no subscribe_time, scene, remark …
        ctx.put(p, "oa", "user", d, rec, shapes=shapes)
        p.seen("oa_openid", openid, start)
        if p.unionid:
            p.seen("unionid", p.unionid)
