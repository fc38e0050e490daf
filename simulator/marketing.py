"""Public-domain marketing: Ocean Engine leads, fission invitations (and mini program share
invitations for the truth), and the ad spend rows."""

from __future__ import annotations

from .campaigns import spend_rows
from .catalog import LEAD_SOURCES, LEAD_STATES, LEAD_TYPES
from .clock import DAY, day_of, local
from .ctx import Ctx
from .ids import e164, encrypted, show_phone
from .people import Person


def leads(ctx: Ctx, p: Person) -> None:
    rng, ids, c = ctx.rng, ctx.ids, p.campaign
    if p.path != "lead" or p.kind != "customer" or c is None or not c.promotion_ids:
        return
    times = [p.t0]
    if rng.random() < 0.08:   # some submit the form twice
        times.append(p.t0 + rng.randrange(3600, 5 * DAY))
    for j, t in enumerate(times):
        if not ctx.win.contains(t):
            continue
        clue = str(7_000_000_000_000_000_000 + ids.order_no("clue", p.pid, j, 18))
        if p.phone and rng.random() < 0.78:
            tel = show_phone(p.phone, rng)
            p.seen("phone", e164(p.phone))
        elif p.placeholder and rng.random() < 0.5:
            tel = p.placeholder
        else:
            tel = encrypted(p.phone or ids.phone(p.pid), ids)
        promo = rng.choice(c.promotion_ids)
        weixin = "wxid_" + ids.token("wx", p.pid, 14, "b62").lower() if rng.random() < 0.3 else ""
        row = [clue, local(t), tel, weixin, rng.choice(LEAD_SOURCES), rng.choice(LEAD_TYPES),
               rng.choice(LEAD_STATES), c.account_id or "1769283746512345", promo, f"{c.name}-{promo[-3:]}",
               "表单提交成功"]
        ctx.put(p, "leads", "oceanengine", day_of(t), row)
        p.seen("clue_id", clue, t)


def _ids(p: Person, role: str, rng, with_ext: bool) -> dict:
    out = {}
    if p.unionid and (not with_ext or rng.random() < 0.7):
        out[f"{role}_unionid"] = p.unionid
    if with_ext and (not out or rng.random() < 0.3):
        out[f"{role}_external_userid"] = p.ext
    return out


def _seen(p: Person, ids: dict, t: int) -> None:
    for key, value in ids.items():
        p.seen(key.split("_", 1)[1], value, t)


def fission(ctx: Ctx, p: Person) -> None:
    """fission/invitation rows where `p` is the invitee (and p's own self-invitation, if any)."""
    rng, win = ctx.rng, ctx.win
    q = p.inviter
    if p.path == "fission" and q is not None and p.campaign is not None:
        cid, first = p.campaign.campaign_id, None
        rows = []
        if p.unionid:
            rows.append((p.t0, "scan", {"invitee_unionid": p.unionid}, None))
        added = p.pool_t is not None and p.friendships and p.friendships[0].start == p.pool_t
        if added and win.contains(p.pool_t):
            invitee = {"invitee_unionid": p.unionid} if p.unionid and rng.random() < 0.5 else {}
            invitee["invitee_external_userid"] = p.ext
            rows.append((p.pool_t, "add_friend", invitee, None))
            if p.completes_task:
                rows.append((p.pool_t + rng.randrange(5, 120), "task_complete", invitee, "正装兑换券"))
        for t, step, invitee, reward in rows:
            if not win.contains(t):
                continue
            inviter = _ids(q, "inviter", rng, with_ext=q.pool_t is not None and q.pool_t <= t)
            if not inviter:
                continue
            rec = {"campaign_id": cid, **inviter, **invitee, "step": step, "ts": t}
            if reward:
                rec["reward"] = reward
            ctx.put(p, "fission", "invitation", day_of(t), rec)
            _seen(p, invitee, t)
            _seen(q, inviter, t)
            first = t if first is None else min(first, t)
        if first is not None:
            p.invitations.append((cid, q, first, 0, p.generation))
    if p.self_invite is not None:
        camp, t = p.self_invite
        if win.contains(t):
            inviter = _ids(p, "inviter", rng, with_ext=True)
            invitee = ({"invitee_external_userid": p.ext} if "inviter_unionid" in inviter
                       else {"invitee_unionid": p.unionid})
            if all(invitee.values()):
                ctx.put(p, "fission", "invitation", day_of(t),
                        {"campaign_id": camp.campaign_id, **inviter, **invitee, "step": "scan", "ts": t})
                _seen(p, {**inviter, **invitee}, t)
                p.invitations.append((camp.campaign_id, p, t, 1, ""))
    if p.path == "mp_share" and p.inviter is not None and win.contains(p.t0):
        p.invitations.append(("mp_share", p.inviter, p.t0, 0, p.generation))


def spend(ctx: Ctx) -> None:
    for d, row in spend_rows(ctx.world.campaigns, ctx.rng):
        ctx.put(None, "ads", "spend", d, row)
