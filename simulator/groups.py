"""Customer groups (客户群) of one chunk: owned by guides, joined and left by the chunk's people,
written as wecom/group_chat snapshots; plus group mass messages and group chatter."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .catalog import BRAND, GROUP_NOTICES, MSG_TYPES, STORES
from .clock import DAY, day_of, day_start
from .ctx import Ctx
from .people import Person
from .world import Employee, World

STORE_NAMES = {s[0]: s[1] for s in STORES}
MEMBERS_PER_GROUP = 120  # sized so a chunk of 5,000 has ~40 groups, well under WeCom's 500 cap


@dataclass(eq=False)
class Group:
    chat_id: str
    name: str
    owner: Employee
    created: int
    notice: str
    members: list = field(default_factory=list)  # (person, join, leave | None, scene)


def make_groups(rng: random.Random, world: World, chunk: int, people: int) -> list[Group]:
    win, out = world.window, []
    owners = [g for gs in world.guides_by_store.values() for g in gs if g.left is None]
    n_days = win.last_day - win.first_day + 1
    for i in range(max(2, people // MEMBERS_PER_GROUP)):
        created = win.history_start + rng.randrange(int((world.cfg.history_days + n_days * 0.5) * DAY))
        ready = [g for g in owners if g.hired <= created] or owners
        owner = rng.choice(ready)
        chat_id = "wr" + world.ids.token("chat", chunk * 10_000 + i, 30)
        name = f"{BRAND}·{STORE_NAMES[owner.store][2:]}福利群{chunk * 100 + i + 1}"
        if rng.random() < world.cfg.shapes.unnamed_group:
            name = ""   # WeCom shows the members' names; the API returns ""
        out.append(Group(chat_id, name, owner, created, rng.choice(GROUP_NOTICES)))
    return out


def join(ctx: Ctx, p: Person, groups: list[Group]) -> None:
    rng, win = ctx.rng, ctx.win
    t = p.group_t
    if t is None or t >= win.end:
        return
    mine = [g for g in groups if g.created <= t and p.guide is not None and g.owner is p.guide]
    open_ = mine or [g for g in groups if g.created <= t]
    if not open_:
        return
    g = rng.choice(open_)
    frm = max(t, win.start)
    leave = int(frm + rng.expovariate(ctx.cfg.group_leave_per_day / DAY))
    leave = leave if leave < win.end else None
    scene = 3 if p.path == "fission" else rng.choice((1, 2))
    g.members.append((p, t, leave, scene))
    p.group_spans.append((t, leave))
    rate = 0.02 / DAY  # members who speak up in the group now and then
    s = frm + rng.expovariate(rate)
    k = 0
    while s < (leave or win.end) and k < 20:
        k += 1
        ms = int(s) * 1000 + rng.randrange(1000)
        ctx.put(p, "wecom", "message", day_of(int(s)), {
            "msgid": f"{ctx.ids.order_no('gmsg', p.pid, k, 19)}_{ms}_external", "action": "send",
            "from": p.ext, "tolist": [g.owner.userid], "roomid": g.chat_id, "msgtime": ms,
            "msgtype": rng.choice(MSG_TYPES)})
        s += rng.expovariate(rate)


def emit(ctx: Ctx, groups: list[Group]) -> None:
    """Snapshots on snapshot days, and group mass-message results."""
    win, rng = ctx.win, ctx.rng
    rates = ctx.cfg.shapes
    for g in groups:
        for d in ctx.snaps("wecom/group_chat"):
            eod = day_start(d + 1)
            if g.created >= eod:
                continue
            members = [{"userid": g.owner.userid, "type": 1, "join_time": g.created, "join_scene": 1,
                        "group_nickname": "", "name": g.owner.name}]
            shapes = {"extra_keys", "empty_group_nickname"}
            for p, t, leave, scene in g.members:
                if t < eod and (leave is None or leave >= eod):
                    m = {"userid": p.ext, "type": 2}
                    if p.unionid:
                        m["unionid"] = p.unionid
                        p.seen("unionid", p.unionid)
                    elif ctx.ids.number("blank_uid", p.pid, 6) < rates.blank_optional_id * 10**6:
                        m["unionid"] = ""   # no unionid, written as "": null, not a defect
                        shapes.add("blank_optional_id")
                    named = ctx.ids.number("gnick", p.pid, 6) < rates.group_nickname_set * 10**6
                    nickname = ctx.nick(p) if named else ""
                    m.update(join_time=t, join_scene=scene, invitor={"userid": g.owner.userid},
                             group_nickname=nickname, name=ctx.nick(p))
                    members.append(m)
                    p.seen("external_userid", p.ext, t)
            shapes |= {"empty_group_name"} if not g.name else set()
            shapes |= {"empty_notice"} if not g.notice else set()
            rec = {"group_chat": {"chat_id": g.chat_id, "name": g.name, "owner": g.owner.userid,
                                  "create_time": g.created, "notice": g.notice, "member_list": members,
                                  "admin_list": [{"userid": g.owner.userid}]}}
            ctx.put(None, "wecom", "group_chat", d, rec, shapes=tuple(sorted(shapes)))
        for msgid, tc, _, is_group in g.owner.tasks:
            if is_group and g.created <= tc and win.contains(tc):
                status = 1 if rng.random() < 0.9 else 0
                rec = {"msgid": msgid, "create_time": tc, "userid": g.owner.userid, "chat_id": g.chat_id,
                       "status": status}
                if status == 1:
                    rec["send_time"] = tc + rng.randrange(60, 3 * 3600)
                ctx.put(None, "wecom", "groupmsg_send", day_of(tc), rec)
