"""Console exports in GBK/GB18030: Tmall orders and member binding, POS receipts and members."""

from __future__ import annotations

from . import lifecycle
from .catalog import ADDRESSES, BUYER_NOTES, NICK_WORDS
from .clock import DAY, at_hour, day_of, day_start, local
from .ctx import Ctx
from .ids import e164, masked, show_phone
from .orders import Basket, Order
from .people import Person
from .shops import yuan

TMALL = {"unpaid": "等待买家付款", "paid": "买家已付款,等待卖家发货", "shipped": "卖家已发货,等待买家确认",
         "done": "交易成功", "closed": "交易关闭"}


def tmall_nick(ctx: Ctx, p: Person) -> str:
    n = ctx.ids.number("tmall_nick", p.pid, 9)
    return f"tb{n:09d}" if n % 2 else f"{NICK_WORDS[n % len(NICK_WORDS)]}{n:09d}"


def tmall(ctx: Ctx, p: Person, created: int, b: Basket, k: int) -> Order:
    """One row per order per export; each day's export repeats the orders that changed that day
    or the day before (overlapping exports), with their state at the end of that day."""
    rng, ids, win = ctx.rng, ctx.ids, ctx.win
    b = Basket(b.kind, b.lines[:1], b.post_fen)   # the export has one title per order
    life = lifecycle.live(ctx, b, created)
    order_no = str(3_000_000_000_000_000_000 + ids.order_no("tm", p.pid, k, 18))
    order = Order("tmall", order_no, p, b)
    nick = tmall_nick(ctx, p)
    line = b.lines[0]
    payable = round(line.product.price * 100) * line.qty + b.post_fen
    states = [s for s in life.states(b.total_fen) if s[0] < win.end]
    changed = {day_of(s[0]) for s in states}
    phone = masked(p.phone) if p.phone and rng.random() < 0.6 else ""
    # The export's trailing columns (ignored by the contract): a masked address and the buyer's note,
    # now and then with a phone typed into it.
    province, city, district, street = ADDRESSES[p.pid % len(ADDRESSES)]
    address, note = f"{province} {city} {district} {street}***", rng.choice(BUYER_NOTES)
    shapes: tuple[str, ...] = ("extra_keys",)
    if rng.random() < ctx.cfg.shapes.buyer_message:
        note, shapes = f"联系电话{p.phone or ids.phone(p.pid)}", shapes + ("unread_personal_data",)
    for d in sorted(changed | {d + 1 for d in changed if d + 1 <= win.last_day}):
        eod = day_start(d + 1)
        t, status, _, refunded = [s for s in states if s[0] < eod][-1]
        paid = life.paid is not None and life.paid < eod
        tags = []
        number = order_no
        if rng.random() < ctx.cfg.defects.excel_text_id:
            number, tags = f'="{order_no}"', ["excel_text_id"]
        money = [yuan(payable), yuan(b.total_fen if paid else 0), yuan(refunded)]
        if rng.random() < ctx.cfg.defects.yuan_suffix:
            money, tags = [m + "元" for m in money], tags + ["yuan_suffix"]
        row = [number, nick, money[0], money[1], TMALL[status], local(created),
               local(life.paid) if paid else "", phone, money[2], line.product.title, str(line.qty),
               address, note, "快递"]
        order.defective |= ctx.put(p, "tmall", "trade", d, row, tags=tuple(tags), shapes=shapes)
        order.rows += 1
        p.seen("tmall_buyer_nick", nick, created)
    if order.rows and p.phone and not p.tm_member and rng.random() < 0.45:
        bound = created + rng.randrange(3 * DAY)
        if bound < win.end:
            p.tm_member = (ids.tmall_member_id(p.pid), nick, show_phone(p.phone, rng), bound)
    order.paid_at = life.paid if life.paid is not None and life.paid < win.end else None
    order.paid_fen = b.total_fen if order.paid_at is not None else 0
    order.refunded_fen = states[-1][3] if states else 0
    return order


def pos(ctx: Ctx, p: Person, created: int, b: Basket, k: int) -> Order:
    rng, ids, win, world = ctx.rng, ctx.ids, ctx.win, ctx.world
    open_ = [s[0] for s in world.stores[1:] if world.store_open[s[0]] <= created]
    store = p.store if rng.random() < 0.85 or not open_ else rng.choice(open_)
    created = at_hour(rng, day_of(created), "store")
    if created >= win.end or created < p.t0:
        created = p.t0
    if p.card is None and (p.phone or p.placeholder) and rng.random() < 0.7:
        p.card, p.card_t, p.card_store = ids.card_no(p.pid), created, store
    receipt = f"{local(created)[2:10].replace('-', '')}{ids.order_no('pos', p.pid, k, 10):010d}"
    order = Order("pos", f"{store}:{receipt}", p, b, paid_at=created, paid_fen=b.goods_fen)
    cashiers = [e for e in world.cashiers.get(store, []) if e.active(created)]
    cashier = (rng.choice(cashiers) if cashiers else world.employees[0]).cashier or "C00000"
    member = p.card is not None and p.card_t <= created
    card = p.card if member else ""
    phone = ""
    if member and rng.random() < 0.5:
        phone = show_phone(p.phone, rng) if p.phone else p.placeholder
        if p.phone:
            p.seen("phone", e164(p.phone))
    listed = sum(round(ln.product.price * 100) * ln.qty for ln in b.lines if not ln.present)
    late_swipe = "1" if member and rng.random() < 0.05 else "0"
    row = [store, receipt, local(created), card, phone, yuan(b.goods_fen), yuan(max(0, listed - b.goods_fen)),
           cashier, "", late_swipe]
    order.defective |= ctx.put(p, "pos", "receipt", day_of(created), row)
    order.rows += 1
    if card:
        p.seen("pos_card_no", card, created)
    p.touch(created)
    if b.goods_fen > 0 and rng.random() < ctx.cfg.refund_share:
        back = created + rng.randrange(DAY, 10 * DAY)
        if back < win.end:
            fen = b.goods_fen if rng.random() < 0.5 else max(1, round(b.goods_fen * rng.uniform(0.2, 0.7)))
            ret = f"{local(back)[2:10].replace('-', '')}{ids.order_no('pos', p.pid, k + 256, 10):010d}"
            row = [store, ret, local(back), card, "", "-" + yuan(fen), "0.00", cashier, receipt, "0"]
            order.defective |= ctx.put(p, "pos", "receipt", day_of(back), row)
            order.refunded_fen = fen
    return order


def member_snapshots(ctx: Ctx, p: Person) -> None:
    if p.card is not None:
        n = ctx.ids.number("birthday", p.pid, 6)
        birthday = f"{1965 + n % 40}-{n // 40 % 12 + 1:02d}-{n // 480 % 28 + 1:02d}"
        birthday = birthday if n % 10 < 8 else birthday[5:] if n % 10 == 8 else ""
        phone = show_phone(p.phone, ctx.rng) if p.phone else p.placeholder
        guide = p.guide.userid if p.guide is not None else ""
        row = [p.card, phone, ctx.name(p), birthday, p.card_store, local(p.card_t), guide]
        for d in ctx.snaps("pos/member"):
            if p.card_t < day_start(d + 1):
                ctx.put(p, "pos", "member", d, row)
                p.seen("pos_card_no", p.card, p.card_t)
                if p.phone:
                    p.seen("phone", e164(p.phone))
    if p.tm_member:
        member_id, nick, phone, bound = p.tm_member
        for d in ctx.snaps("tmall/member"):
            if bound < day_start(d + 1):
                ctx.put(p, "tmall", "member", d, [member_id, nick, phone, local(bound)])
                p.seen("tmall_member_id", member_id, bound)
                p.seen("tmall_buyer_nick", nick)
                p.seen("phone", e164(p.phone))
