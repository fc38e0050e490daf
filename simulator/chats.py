"""Conversations and mass messages on WeCom friendships: wecom/message (chat archive metadata),
wecom/groupmsg_send (one-to-one results), and the guide counters behind wecom/user_behavior."""

from __future__ import annotations

import bisect

from .catalog import MSG_TYPES
from .clock import DAY, day_of, day_start
from .ctx import CHAT, MSG, REPLIED, REPLY_MIN, SESSIONS, Ctx
from .friends import Friendship
from .people import Person

MAX_MESSAGES = 400  # per person: keeps the message-id space (pid × 512) collision free


def _visible_until(p: Person, f: Friendship, end: int) -> int:
    """A relation deleted by the customer is still listed (one-way) until it is re-added."""
    if f.reason != "del_follow_user":
        return min(f.end or end, end)
    later = [g.start for g in p.friendships if g.guide is f.guide and g.start > f.start]
    return min(later + [end])


def emit_messages(ctx: Ctx, p: Person) -> None:
    rng, win, cfg = ctx.rng, ctx.win, ctx.cfg
    counter = [0]
    chatted: set[tuple[str, int]] = set()

    def send(t: int, sender: str, receiver: str, guide_sent: bool, userid: str, room: str = "") -> None:
        if counter[0] >= MAX_MESSAGES or not win.contains(t):
            return
        counter[0] += 1
        ms = t * 1000 + rng.randrange(1000)
        msgid = f"{ctx.ids.order_no('msg', p.pid, counter[0], 19)}_{ms}_external"
        rec = {"msgid": msgid, "action": "send", "from": sender, "tolist": [receiver], "roomid": room,
               "msgtime": ms, "msgtype": rng.choice(MSG_TYPES)}
        blank = ("blank_optional_id",) if not room else ()   # a one-to-one chat: the archive writes roomid ""
        ctx.put(p, "wecom", "message", day_of(t), rec, shapes=blank)
        p.seen("external_userid", p.ext, t)
        d = day_of(t)
        if guide_sent:
            ctx.bump(userid, d, MSG)
        if (userid, d) not in chatted:
            chatted.add((userid, d))
            ctx.bump(userid, d, CHAT)
        if rng.random() < 0.01:  # the sender takes it back
            counter[0] += 1
            ctx.put(p, "wecom", "message", day_of(t + 30), {
                "msgid": f"{ctx.ids.order_no('msg', p.pid, counter[0], 19)}_{ms + 30_000}_external",
                "action": "recall", "from": sender, "tolist": [receiver], "roomid": room,
                "msgtime": ms + 30_000, "msgtype": "revoke"}, shapes=blank)

    for f in p.friendships:
        g = f.guide
        lo, hi = max(f.start, win.start), min(f.end or win.end, win.end)
        if hi <= lo:
            continue
        if win.contains(f.start) and f.add_way not in (201, 202):
            send(f.start + rng.randrange(20, 600), g.userid, p.ext, True, g.userid)
        starts = []
        if f.start >= win.start and rng.random() < cfg.chat_within_14d * min(1.5, g.conv_mult ** 0.5):
            starts.append(f.start + rng.randrange(14 * DAY))
        rate = cfg.chat_sessions_per_day * (2 if p.heavy else 1) / DAY
        t = lo + rng.expovariate(rate)
        while t < hi and len(starts) < 60:
            starts.append(int(t))
            t += rng.expovariate(rate)
        for ts in sorted(starts):
            if ts >= hi:
                continue
            for i in range(rng.randint(1, 3)):
                send(ts + i * rng.randrange(5, 90), p.ext, g.userid, False, g.userid)
            d = day_of(ts)
            if win.contains(ts):
                ctx.bump(g.userid, d, SESSIONS)
            if rng.random() < 0.9:  # guides answer most chats, some within a minute, some hours later
                wait = min(rng.expovariate(1 / (g.reply_min * 60)), 20 * 3600)
                for i in range(rng.randint(1, 2)):
                    send(int(ts + wait) + i * 40, g.userid, p.ext, True, g.userid)
                if win.contains(ts):
                    ctx.bump(g.userid, d, REPLIED)
                    ctx.bump(g.userid, d, REPLY_MIN, wait / 60)


def emit_groupmsg(ctx: Ctx, p: Person) -> None:
    """One line per one-to-one mass-message task × this customer; delivered ones are remembered
    (p.receipts) because they drive purchases."""
    rng, win = ctx.rng, ctx.win
    for f in p.friendships:
        g = f.guide
        lo, hi = max(f.start, win.start), _visible_until(p, f, win.end)
        times = [task[1] for task in g.tasks]
        for msgid, tc, share, group in g.tasks[bisect.bisect_left(times, lo):bisect.bisect_left(times, hi)]:
            if group or rng.random() >= share:
                continue
            if f.end is not None and tc >= f.end:
                status = 2          # the customer deleted the guide: "not a friend"
            else:
                u = rng.random()
                status = 1 if u < 0.85 else 0 if u < 0.92 else 3
            rec = {"msgid": msgid, "create_time": tc, "userid": g.userid, "external_userid": p.ext,
                   "status": status}
            if status == 1:
                sent = tc + rng.randrange(60, 3 * 3600)
                rec["send_time"] = sent
                p.receipts.append((sent, g))
            elif rng.random() < 0.5:
                rec["send_time"] = 0
            ctx.put(p, "wecom", "groupmsg_send", day_of(tc), rec)
            p.seen("external_userid", p.ext, tc)
    p.receipts.sort(key=lambda r: r[0])


def emit_switches(ctx: Ctx) -> None:
    """Chat-archive `switch` records: an employee moving between devices (~once a month each). The
    archive writes them as `{msgid, action: "switch", time, user}` and nothing else."""
    rng, win = ctx.rng, ctx.win
    for e in ctx.world.employees:
        for d in win.days:
            t = day_start(d) + rng.randrange(8 * 3600, 22 * 3600)
            if e.active(t) and rng.random() < 0.03:
                ms = t * 1000 + rng.randrange(1000)
                msgid = str(ctx.ids.number("switch", e.idx * 100_000 + d, 19) + 10**19)
                ctx.put(None, "wecom", "message", d, {"msgid": msgid, "action": "switch", "time": ms,
                                                      "user": e.userid}, variant="switch")
