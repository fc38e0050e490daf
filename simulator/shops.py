"""What the shop writers share: 元 text from 分, and settling an order's truth from its life."""

from __future__ import annotations

from . import lifecycle
from .orders import Order


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def settle(order: Order, life: lifecycle.Life, end: int) -> None:
    if life.paid is not None and life.paid < end:
        order.paid_at, order.paid_fen = life.paid, order.basket.total_fen
    order.refunded_fen = sum(r.fen for r in life.refunds if r.final[1] == "SUCCESS" and r.final[0] < end)
