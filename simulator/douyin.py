"""Douyin shop (抖店) orders as `order.searchList` / `order.orderDetail` return them, and after-sales.

A shop order holds its lines in `sku_order_list`; each line has its own `order_id` and names the shop
order in `parent_order_id`. Live-stream and video attribution live on the lines (`room_id`,
`author_id`, `video_id`; 0 = none). Amounts are 分 integers; the receiver's phone, name and address
come encrypted (`#…#…#1##`) or masked, never as a linking key.
"""

from __future__ import annotations

from . import lifecycle
from .catalog import BUYER_NOTES
from .clock import day_of
from .ctx import Ctx
from .ids import douyin_cipher, masked
from .orders import Basket, Order
from .people import Person
from .shops import settle

DOUYIN = {"unpaid": 1, "paid": 2, "shipped": 3, "done": 5, "closed": 4}
STATUS_DESC = {1: "待支付", 105: "已支付", 2: "备货中", 3: "已发货", 4: "已取消", 5: "已完成"}
# Douyin after-sale: (aftersale_status, refund_status) per Youzan-style step; refund_status 3 = refunded.
AFTERSALE = {"WAIT_SELLER_AGREE": (6, 1), "WAIT_BUYER_RETURN_GOODS": (7, 1),
             "WAIT_SELLER_CONFIRM_GOODS": (11, 1), "SUCCESS": (12, 3), "SELLER_REFUSE_BUYER": (27, 4),
             "CLOSED": (28, 4)}


def _room(ctx: Ctx, t: int) -> str | None:
    for room, start, end in ctx.world.live_rooms:
        if start <= t < end:
            return room
    return None


def _lines(ctx: Ctx, p: Person, order_id: str, k: int, b: Basket, source: dict,
           drop_zero: bool) -> list[dict]:
    out = []
    for i, ln in enumerate(b.lines):
        line_id = str(5_000_000_000_000_000_000 + ctx.ids.number("dyline", (p.pid * 512 + k) * 8 + i, 18))
        line = {"order_id": line_id, "parent_order_id": order_id, "code": ln.product.sku,
                "product_id": 3_600_000_000_000_000_000 + i, "product_name": ln.product.title,
                "item_num": ln.qty, "origin_amount": round(ln.product.price * 100) * ln.qty,
                "pay_amount": ln.pay_fen, "author_name": ""}
        line.update({k2: v for k2, v in source.items() if not (drop_zero and v in (0, "0"))})
        out.append(line)
    return out


def write(ctx: Ctx, p: Person, created: int, b: Basket, k: int) -> Order:
    rng, ids, win, rates = ctx.rng, ctx.ids, ctx.win, ctx.cfg.shapes
    rooms = ctx.world.live_rooms
    if p.path == "live" and rng.random() < 0.5 and rooms:   # live buyers come back to live rooms
        _, start, end = rng.choice([r for r in rooms if r[1] >= created] or rooms)
        created = max(created, start + rng.randrange(end - start))
    life = lifecycle.live(ctx, b, created)
    order_id = str(6_900_000_000_000_000_000 + ids.order_no("dy", p.pid, k, 18))
    order = Order("douyin", order_id, p, b)
    dd = ids.doudian_open_id(p.pid)
    phone = p.phone or ids.phone(p.pid)
    head = {"order_id": order_id, "b_type_desc": "抖音", "doudian_open_id": dd,
            "encrypt_post_tel": douyin_cipher(phone, ids),
            "encrypt_post_receiver": douyin_cipher(ctx.name(p), ids),
            "mask_post_receiver": ctx.name(p)[0] + "*"}
    if p.phone and rng.random() < 0.7:
        head["mask_post_tel"] = masked(p.phone)
    note = rng.choice(BUYER_NOTES)
    shapes: tuple[str, ...] = ("extra_keys",)
    if rng.random() < rates.buyer_message:   # a buyer who types their phone into the note
        note, shapes = f"到了打我电话{phone}", shapes + ("unread_personal_data",)
    head["buyer_words"] = note
    source = {"author_id": 0, "room_id": 0, "video_id": "0"}
    room = _room(ctx, created)
    if room:
        source.update(author_id=int(ctx.world.authors[0]), room_id=int(room))
        order.live_room = room
    elif rng.random() < 0.15:
        video = str(7_300_000_000_000_000_000 + ids.order_no("video", p.pid, k, 18))
        source.update(author_id=int(rng.choice(ctx.world.authors[1:])), video_id=video)
    drop_zero = rng.random() < rates.douyin_zero_keys_dropped
    if drop_zero and any(v in (0, "0") for v in source.values()):
        shapes += ("absent_optional",)
    lines = _lines(ctx, p, order_id, k, b, source, drop_zero)
    for t, status, _, _ in life.states(b.total_fen):
        if t >= win.end:
            break
        code = DOUYIN[status]
        code = 105 if code == 2 and p.pid % 10 == 0 else code
        rec = dict(head, order_status=code, order_status_desc=STATUS_DESC[code], create_time=created,
                   update_time=t, pay_time=life.paid if life.paid is not None and t >= life.paid else 0,
                   finish_time=life.done if status == "done" else 0, pay_amount=b.total_fen,
                   post_amount=b.post_fen, sku_order_list=lines)
        order.defective |= ctx.put(p, "douyin", "order", day_of(t), rec, shapes=shapes)
        order.rows += 1
        p.seen("doudian_open_id", dd, created)
    for j, r in enumerate(life.refunds):
        aid = str(7_100_000_000_000_000_000 + ids.order_no("dyas", p.pid, k * 4 + j, 18))
        kind = 2 if r.before_shipping else (0 if len(r.steps) > 2 else 1)
        for t, status in r.steps:
            if t >= win.end:
                break
            a_status, refund_status = AFTERSALE[status]
            rec = {"aftersale_id": aid, "order_id": order_id, "aftersale_type": kind,
                   "aftersale_status": a_status, "refund_amount": r.fen, "refund_status": refund_status,
                   "create_time": r.created, "update_time": t}
            order.defective |= ctx.put(p, "douyin", "after_sale", day_of(t), rec)
    settle(order, life, win.end)
    return order
