"""Youzan and Douyin shop orders: one line per order version, refunds / after-sales with versions."""

from __future__ import annotations

from . import lifecycle, mp
from .catalog import REFUND_REASONS
from .clock import day_of, day_str, local
from .ctx import Ctx
from .ids import e164, masked, show_phone
from .orders import Basket, Order
from .people import Person

YOUZAN = {"unpaid": "WAIT_BUYER_PAY", "paid": "WAIT_SELLER_SEND_GOODS", "shipped": "WAIT_BUYER_CONFIRM_GOODS",
          "done": "TRADE_SUCCESS", "closed": "TRADE_CLOSED"}
DOUYIN = {"unpaid": 1, "paid": 2, "shipped": 3, "done": 5, "closed": 4}
# Douyin after-sale: (aftersale_status, refund_status) per Youzan-style step; refund_status 3 = refunded.
DOUYIN_AFTERSALE = {"WAIT_SELLER_AGREE": (6, 1), "WAIT_BUYER_RETURN_GOODS": (7, 1),
                    "WAIT_SELLER_CONFIRM_GOODS": (11, 1), "SUCCESS": (12, 3), "SELLER_REFUSE_BUYER": (27, 4),
                    "CLOSED": (28, 4)}


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _settle(order: Order, life: lifecycle.Life, end: int) -> None:
    if life.paid is not None and life.paid < end:
        order.paid_at, order.paid_fen = life.paid, order.basket.total_fen
    order.refunded_fen = sum(r.fen for r in life.refunds if r.final[1] == "SUCCESS" and r.final[0] < end)


def youzan(ctx: Ctx, p: Person, created: int, b: Basket, k: int) -> Order:
    rng, ids, win = ctx.rng, ctx.ids, ctx.win
    life = lifecycle.live(ctx, b, created)
    n = ids.order_no("yz", p.pid, k, 12)
    order = Order("youzan", f"E{day_str(day_of(created)).replace('-', '')}{n:012d}", p, b)
    yz = ids.yz_open_id(p.pid)
    buyer = {"yz_open_id": yz}
    if p.phone and (p.kind == "test" or rng.random() < 0.7):
        buyer["buyer_phone"] = show_phone(p.phone, rng)
        p.seen("phone", e164(p.phone))
    elif p.placeholder and rng.random() < 0.5:
        buyer["buyer_phone"] = p.placeholder
    if p.mp_t is not None and p.mp_t <= created and rng.random() < 0.5:
        buyer["outer_user_id"] = ids.mp_openid(p.pid)
        p.seen("mp_openid", buyer["outer_user_id"])
        mp.event(ctx, p, created - 20, "checkout", "/pages/order/confirm")
    guide = p.guide if p.guide and p.guide.active(created) else None
    offline = guide is not None and rng.random() < 0.05   # a guide rings it up in the store app
    paid_label = "TRADE_PAID" if rng.random() < 0.1 else YOUZAN["paid"]
    lines = [{"oid": f"{n}{i + 1:02d}", "outer_sku_id": ln.product.sku, "title": ln.product.title,
              "num": ln.qty, "payment": yuan(ln.pay_fen), "is_present": ln.present}
             for i, ln in enumerate(b.lines)]
    skip_first = life.paid is not None and rng.random() < 0.5   # paid at once: the first push is already paid
    for i, (t, status, rstate, _) in enumerate(life.states(b.total_fen)):
        if t >= win.end:
            break
        if i == 0 and skip_first:
            continue
        rec = {"tid": order.order_id, "status": paid_label if status == "paid" else YOUZAN[status],
               "created": local(created)}
        if life.paid is not None and t >= life.paid:
            rec["pay_time"] = local(life.paid)
        rec["update_time"] = local(t)
        if status == "done":
            rec["success_time"] = local(life.done)
        rec.update(payment=yuan(b.total_fen), post_fee=yuan(b.post_fen), buyer=buyer, orders=lines,
                   refund_state=rstate, is_offline_order=offline)
        if offline:
            rec["cashier_id"] = guide.cashier
        order.defective |= ctx.put(p, "youzan", "trade", day_of(t), rec)
        order.rows += 1
        p.seen("yz_open_id", yz, created)
    for j, r in enumerate(life.refunds):
        rid = f"20{ids.order_no('yzr', p.pid, k * 4 + j, 16):016d}"
        for t, status in r.steps:
            if t >= win.end:
                break
            rec = {"refund_id": rid, "tid": order.order_id}
            if not r.before_shipping:
                rec["oid"] = lines[0]["oid"]
            rec.update(status=status, refund_fee=yuan(r.fen), created=local(r.created), modified=local(t),
                       reason=rng.choice(REFUND_REASONS))
            order.defective |= ctx.put(p, "youzan", "refund", day_of(t), rec)
    _settle(order, life, win.end)
    return order


def _room(ctx: Ctx, t: int) -> str | None:
    for room, start, end in ctx.world.live_rooms:
        if start <= t < end:
            return room
    return None


def douyin(ctx: Ctx, p: Person, created: int, b: Basket, k: int) -> Order:
    rng, ids, win = ctx.rng, ctx.ids, ctx.win
    rooms = ctx.world.live_rooms
    if p.path == "live" and rng.random() < 0.5 and rooms:   # live buyers come back to live rooms
        _, start, end = rng.choice([r for r in rooms if r[1] >= created] or rooms)
        created = max(created, start + rng.randrange(end - start))
    life = lifecycle.live(ctx, b, created)
    order_id = str(6_900_000_000_000_000_000 + ids.order_no("dy", p.pid, k, 18))
    order = Order("douyin", order_id, p, b)
    dd = ids.doudian_open_id(p.pid)
    head = {"order_id": order_id}
    extra = {"doudian_open_id": dd}
    if p.phone and rng.random() < 0.7:
        extra["mask_post_tel"] = masked(p.phone)
    room = _room(ctx, created)
    if room:
        extra.update(author_id=ctx.world.authors[0], room_id=room)
    elif rng.random() < 0.15:
        video = str(7_300_000_000_000_000_000 + ids.order_no("video", p.pid, k, 18))
        extra.update(author_id=rng.choice(ctx.world.authors[1:]), video_id=video)
    skus = [{"sku_order_id": f"{order_id}{i + 1}", "code": ln.product.sku, "product_name": ln.product.title,
             "item_num": ln.qty, "pay_amount": ln.pay_fen} for i, ln in enumerate(b.lines)]
    for t, status, _, _ in life.states(b.total_fen):
        if t >= win.end:
            break
        code = DOUYIN[status]
        rec = dict(head, order_status=105 if code == 2 and p.pid % 10 == 0 else code, create_time=created,
                   pay_time=life.paid if life.paid is not None and t >= life.paid else 0, update_time=t,
                   pay_amount=b.total_fen, **extra, sku_order_list=skus)
        order.defective |= ctx.put(p, "douyin", "order", day_of(t), rec)
        order.rows += 1
        p.seen("doudian_open_id", dd, created)
    for j, r in enumerate(life.refunds):
        aid = str(7_100_000_000_000_000_000 + ids.order_no("dyas", p.pid, k * 4 + j, 18))
        kind = 2 if r.before_shipping else (0 if len(r.steps) > 2 else 1)
        for t, status in r.steps:
            if t >= win.end:
                break
            a_status, refund_status = DOUYIN_AFTERSALE[status]
            rec = {"aftersale_id": aid, "order_id": order_id, "aftersale_type": kind,
                   "aftersale_status": a_status, "refund_amount": r.fen, "refund_status": refund_status,
                   "create_time": r.created, "update_time": t}
            order.defective |= ctx.put(p, "douyin", "after_sale", day_of(t), rec)
    _settle(order, life, win.end)
    return order

