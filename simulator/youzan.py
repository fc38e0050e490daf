"""Youzan trades as `youzan.trade.get` returns them and the trade pushes carry: one JSONL line per
order version, `{"full_order_info": {order_info, buyer_info, pay_info, orders, …}}`.

Besides what sources.md reads, each line holds what Youzan sends and the product must not keep: the
delivery address (`address_info`), the buyer's note (`remark_info`), `source_info`, and per-line
`buyer_messages` that sometimes carry a name, a phone and an ID-card number (issue 18, item 6).
Amounts are decimal strings in 元; some SDKs write booleans as "true"/"false".
"""

from __future__ import annotations

from . import lifecycle, mp
from .catalog import ADDRESSES, BUYER_NOTES, REFUND_REASONS
from .clock import day_of, day_str, local
from .ctx import Ctx
from .ids import e164, id_card, show_phone, youzan_cipher
from .orders import Basket, Order
from .people import Person
from .shops import settle, yuan

YOUZAN = {"unpaid": "WAIT_BUYER_PAY", "paid": "WAIT_SELLER_SEND_GOODS", "shipped": "WAIT_BUYER_CONFIRM_GOODS",
          "done": "TRADE_SUCCESS", "closed": "TRADE_CLOSED"}
STATUS_STR = {"WAIT_BUYER_PAY": "待付款", "TRADE_PAID": "已支付", "WAIT_SELLER_SEND_GOODS": "待发货",
              "WAIT_BUYER_CONFIRM_GOODS": "已发货", "TRADE_SUCCESS": "已完成", "TRADE_CLOSED": "已关闭"}


def _bool(v: bool, strings: bool):
    return ("true" if v else "false") if strings else v


def _buyer(ctx: Ctx, p: Person, created: int, encrypt: bool) -> tuple[dict, tuple[str, ...]]:
    rng, ids, rates = ctx.rng, ctx.ids, ctx.cfg.shapes
    buyer: dict = {"yz_open_id": ids.yz_open_id(p.pid)}
    shapes: tuple[str, ...] = ()
    if p.phone and (p.kind == "test" or rng.random() < 0.7):
        if encrypt and p.kind != "test":
            buyer["buyer_phone"] = youzan_cipher(p.phone, ids)
            shapes += ("encrypted_phone",)
        else:
            buyer["buyer_phone"] = show_phone(p.phone, rng)
            p.seen("phone", e164(p.phone))
    elif p.placeholder and rng.random() < 0.5:
        buyer["buyer_phone"] = p.placeholder
    if p.mp_t is not None and p.mp_t <= created and rng.random() < 0.5:
        # The openid in the brand's mini program storefront: only for people who have one, never invented.
        buyer["outer_user_id"] = ids.mp_openid(p.pid)
        p.seen("mp_openid", buyer["outer_user_id"])
        mp.event(ctx, p, created - 20, "checkout", "/pages/order/confirm")
    elif rng.random() < rates.blank_optional_id:
        buyer["outer_user_id"] = ""
        shapes += ("blank_optional_id",)
    buyer.update(fans_type=1, fans_id=ids.number("fans", p.pid, 11), fans_nickname=ctx.nick(p))
    return buyer, shapes


def _personal(ctx: Ctx, p: Person, encrypt: bool) -> dict:
    """address_info and remark_info: read by no contract, personal, never to be kept."""
    ids = ctx.ids
    province, city, district, street = ADDRESSES[p.pid % len(ADDRESSES)]
    house, building, room = ids.number("house", p.pid, 3) + 1, p.pid % 30 + 1, p.pid % 7 * 100 + 101
    detail = f"{street}{house}号{building}栋{room}室"
    name, tel = ctx.name(p), p.phone or ids.phone(p.pid)
    if encrypt:
        name, tel, detail = (youzan_cipher(v, ids) for v in (name, tel, detail))
    return {"address_info": {"receiver_name": name, "receiver_tel": tel, "delivery_province": province,
                             "delivery_city": city, "delivery_district": district,
                             "delivery_address": detail},
            "remark_info": {"buyer_message": ctx.rng.choice(BUYER_NOTES), "star": 0, "trade_memo": ""}}


def _lines(ctx: Ctx, p: Person, n: int, b: Basket, strings: bool, message: bool) -> list[dict]:
    ids, out = ctx.ids, []
    for i, ln in enumerate(b.lines):
        price = round(ln.product.price * 100)
        line = {"oid": f"{n}{i + 1:02d}", "outer_sku_id": ln.product.sku, "title": ln.product.title,
                "num": ln.qty, "payment": yuan(ln.pay_fen), "is_present": _bool(ln.present, strings),
                "price": yuan(price), "item_id": 400_000_000 + i, "buyer_messages": ""}
        if message and i == 0:   # a cross-border or engraved item: the shop asked for name, phone and ID
            line["buyer_messages"] = [{"title": "收件人姓名", "content": ctx.name(p)},
                                      {"title": "手机号", "content": p.phone or ids.phone(p.pid)},
                                      {"title": "身份证号", "content": id_card(p.pid)}]
        out.append(line)
    return out


def write(ctx: Ctx, p: Person, created: int, b: Basket, k: int) -> Order:
    rng, ids, win, rates = ctx.rng, ctx.ids, ctx.win, ctx.cfg.shapes
    life = lifecycle.live(ctx, b, created)
    n = ids.order_no("yz", p.pid, k, 12)
    order = Order("youzan", f"E{day_str(day_of(created)).replace('-', '')}{n:012d}", p, b)
    encrypt = rng.random() < rates.youzan_encrypted_phone
    buyer, buyer_shapes = _buyer(ctx, p, created, encrypt)
    guide = p.guide if p.guide and p.guide.active(created) else None
    offline = guide is not None and rng.random() < 0.05   # a guide rings it up in the store app
    paid_label = "TRADE_PAID" if rng.random() < 0.1 else YOUZAN["paid"]
    strings = rng.random() < rates.string_booleans
    message = rng.random() < rates.buyer_message
    blank_times = rng.random() < rates.blank_optional_time
    lines = _lines(ctx, p, n, b, strings, message)
    listed = sum(round(ln.product.price * 100) * ln.qty for ln in b.lines)
    personal = _personal(ctx, p, encrypt)
    shapes = ("extra_keys",) + buyer_shapes + (("string_booleans",) if strings else ()) + (
        ("unread_personal_data",) if message or not encrypt else ())
    tags = {"is_secured_transaction": _bool(True, strings)}
    if offline:
        tags["is_offline_order"] = _bool(True, strings)
    extra = {"is_from_cart": "true" if len(lines) > 1 else "false"}
    if offline:
        extra.update(cashier_id=guide.cashier, cashier_name=guide.name)
    head = {"tid": order.order_id, "created": local(created), "expired_time": local(created + 3600)}
    tail = {"pay_type_str": "WEIXIN_DAIXIAO", "is_retail_order": _bool(offline, strings),
            "order_extra": extra}
    unpaid = {"payment": yuan(b.total_fen), "post_fee": yuan(b.post_fen),
              "total_fee": yuan(listed + b.post_fen)}
    paid_info = dict(unpaid, outer_transactions=[f"42000{ids.number('wxpay', p.pid * 512 + k, 23):023d}"])
    rest = {**personal, "source_info": {"is_offline_order": _bool(offline, strings), "order_mark": "wx_apps"}}
    skip_first = life.paid is not None and rng.random() < 0.5   # paid at once: the first push is already paid
    for i, (t, status, rstate, _) in enumerate(life.states(b.total_fen)):
        if t >= win.end:
            break
        if i == 0 and skip_first:
            continue
        label = paid_label if status == "paid" else YOUZAN[status]
        info = dict(head, status=label, status_str=STATUS_STR[label], update_time=local(t))
        version = shapes
        paid = life.paid is not None and t >= life.paid
        if paid:
            info["pay_time"] = local(life.paid)
        if status == "done":
            info["success_time"] = local(life.done)
        if blank_times and not paid:
            info["pay_time"] = ""
        if blank_times and status != "done":
            info["success_time"] = ""
        if blank_times and (not paid or status != "done"):
            version += ("blank_optional_time",)
        if not offline or len(buyer) < 6 or "pay_time" not in info:   # buyer_phone / outer_user_id left out
            version += ("absent_optional",)
        info.update(tail, refund_state=rstate,
                    order_tags=dict(tags, is_payed=_bool(True, strings)) if paid else tags)
        pay = paid_info if paid else unpaid
        rec = {"full_order_info": {"order_info": info, "buyer_info": buyer, "pay_info": pay, "orders": lines,
                                   **rest}}
        order.defective |= ctx.put(p, "youzan", "trade", day_of(t), rec, shapes=version)
        order.rows += 1
        p.seen("yz_open_id", buyer["yz_open_id"], created)
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
    settle(order, life, win.end)
    return order
