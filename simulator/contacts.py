"""wecom/external_contact snapshots: the relations `externalcontact/batch/get_by_user` lists at a
day's end, including the one-way relation WeCom keeps after the customer deletes the guide."""

from __future__ import annotations

from .catalog import CORP_NAMES, REMARK_TAGS, STORES
from .clock import day_start
from .ctx import Ctx
from .friends import CUSTOMER_INITIATED, Friendship
from .ids import e164
from .people import Person

STORE_SHORT = {s[0]: s[1][2:4] for s in STORES}


def shown_at(p: Person, eod: int) -> list[Friendship]:
    """Rows of the snapshot taken at `eod`: per guide the latest relation begun, if still shown."""
    latest: dict[str, Friendship] = {}
    for f in p.friendships:
        if f.start < eod and (f.guide.userid not in latest or f.start > latest[f.guide.userid].start):
            latest[f.guide.userid] = f
    return [f for f in latest.values() if f.end is None or f.end >= eod or f.reason == "del_follow_user"]


def emit_snapshots(ctx: Ctx, p: Person) -> None:
    if not p.friendships:
        return
    ids = ctx.ids
    contact = {"external_userid": p.ext, "name": ctx.nick(p), "type": 2 if p.kind == "other_corp" else 1,
               "avatar": f"https://wx.qlogo.cn/mmhead/{ids.token('avatar', p.pid, 40, 'b62')}/0",
               "gender": ctx.gender(p)}
    shapes: tuple[str, ...] = ("extra_keys",)
    if p.unionid:
        contact["unionid"] = p.unionid
    elif ids.number("blank_uid", p.pid, 6) < ctx.cfg.shapes.blank_optional_id * 10**6:
        contact["unionid"] = ""   # a collector that writes every key: no unionid is ""
        shapes += ("blank_optional_id",)
    if p.kind == "other_corp":
        contact["corp_name"] = CORP_NAMES[p.pid % len(CORP_NAMES)]
        contact["corp_full_name"] = contact["corp_name"]
        contact["position"] = "采购经理"
    for d in ctx.snaps("wecom/external_contact"):
        for f in shown_at(p, day_start(d + 1)):
            follow = _follow(ctx, p, f)
            blank = (("empty_remark",) if not follow["remark"] else ()) + (
                ("empty_description",) if not follow["description"] else ())
            ctx.put(p, "wecom", "external_contact", d, {"external_contact": contact, "follow_info": follow},
                    shapes=shapes + blank)
            p.seen("external_userid", p.ext, f.start)
            if f.shows_phone:
                p.seen("phone", e164(p.phone))
            if p.unionid:
                p.seen("unionid", p.unionid)


def _follow(ctx: Ctx, p: Person, f: Friendship) -> dict:
    """`follow_info` as WeCom returns it: remark and description are "" unless the guide wrote one
    (most contacts have neither, issue 11)."""
    name = ctx.name(p)
    title = "先生" if ctx.gender(p) == 1 else "女士"
    remark = f"{name[0]}{title}-{STORE_SHORT[p.store]}" if f.remark_written else ""
    description = " ".join(REMARK_TAGS[i] for i in f.tags) or "新客" if f.description_written else ""
    info = {"userid": f.guide.userid, "remark": remark, "description": description, "createtime": f.start,
            "tag_id": [f"et{ctx.ids.token('tag', i, 20)}" for i in f.tags], "remark_mobiles": f.mobiles,
            "add_way": f.add_way, "oper_userid": p.ext if f.add_way in CUSTOMER_INITIATED else f.guide.userid}
    if f.state:
        info["state"] = f.state
    return info
