"""The brand's own files: org/* master data snapshots and the per-guide wecom/user_behavior rows."""

from __future__ import annotations

from .catalog import STORES
from .clock import day_start
from .ctx import APPLY, CHAT, CONTACT, MSG, NEGATIVE, REPLIED, REPLY_MIN, SESSIONS, Ctx


def write(ctx: Ctx) -> None:
    """org/* on every snapshot day (tiny files; employees' status changes when they leave)."""
    w = ctx.world
    codes = []
    for c in w.campaigns:
        codes += [[code, c.channel, c.campaign_id, c.name, what] for code, what in c.codes()]
    codes.sort()
    for d in ctx.win.snapshot_days:
        eod = day_start(d + 1)

        def put(ent: str, row: list[str], d: int = d) -> None:
            ctx.sink.put(ctx.rng, "org", ent, d, row, clean=True)

        for code, name, city, region, opened, _ in STORES:
            put("store", [code, name, city, region, opened])
        for e in w.employees:
            if e.hired < eod:
                status = "left" if e.left is not None and e.left < eod else "active"
                put("employee", [e.userid, e.name, e.store, e.role, e.cashier, e.mobile or "", status])
        for row in codes:
            put("channel_code", row)
        for prod in w.products:
            trial = "1" if prod.is_trial else "0"
            put("product", [prod.sku, prod.title, prod.category, f"{prod.price:.2f}", trial])
        for id_type, value, note, _ in w.test_accounts:
            put("test_account", [id_type, value, note])


def user_behavior(ctx: Ctx) -> None:
    """One row per employee per active day, from the counters the journeys left behind. New
    applications also count requests customers never accepted (~1 in 3 of a guide's phone adds)."""
    rng, win = ctx.rng, ctx.win
    for e in ctx.world.employees:
        for d in win.days:
            if not e.active(day_start(d) + 43_200):
                continue
            c = ctx.counters(e.userid, d)
            applied = int(c[APPLY] * 1.5 + (rng.random() < 0.2))
            rec = {"userid": e.userid, "stat_time": day_start(d), "new_apply_cnt": applied,
                   "new_contact_cnt": int(c[CONTACT]), "chat_cnt": int(c[CHAT]), "message_cnt": int(c[MSG])}
            if c[SESSIONS]:
                rec["reply_percentage"] = round(100 * c[REPLIED] / c[SESSIONS], 2)
                if c[REPLIED]:
                    rec["avg_reply_time"] = round(c[REPLY_MIN] / c[REPLIED], 1)
            rec["negative_feedback_cnt"] = int(c[NEGATIVE])
            ctx.put(None, "wecom", "user_behavior", d, rec)
