"""Reading ahead in threads: items come out in the producers' order, errors reach the consumer
at the place they happened, and a consumer that stops early leaves no thread running."""

import threading
import time

import pytest

from ingestion.load.background import in_order, ordered_map


def _slow(label: str, n: int, delay: float):
    def produce():
        for i in range(n):
            time.sleep(delay)
            yield f"{label}{i}"

    return produce


def test_in_order_keeps_producer_order_whatever_finishes_first():
    producers = [_slow("a", 3, 0.03), _slow("b", 2, 0.0), _slow("c", 0, 0.0), _slow("d", 2, 0.01)]
    assert list(in_order(producers, workers=2, depth=1)) == ["a0", "a1", "a2", "b0", "b1", "d0", "d1"]


def test_in_order_raises_a_producers_error_after_the_items_before_it():
    def broken():
        yield "x0"
        raise OSError("cannot read x")

    got = []
    with pytest.raises(OSError, match="cannot read x"):
        for item in in_order([_slow("a", 2, 0.0), broken, _slow("b", 2, 0.0)], workers=2):
            got.append(item)
    assert got == ["a0", "a1", "x0"]


def test_stopping_early_stops_the_threads():
    before = threading.active_count()
    items = in_order([_slow("a", 1000, 0.001), _slow("b", 1000, 0.001)], workers=2, depth=2)
    assert next(items) == "a0"
    items.close()
    assert threading.active_count() == before


def test_ordered_map_returns_results_in_order_and_raises_in_place():
    def work(i: int) -> int:
        time.sleep(0.02 if i % 2 else 0.0)
        if i == 5:
            raise ValueError("bad batch 5")
        return i * i

    got = []
    with pytest.raises(ValueError, match="bad batch 5"):
        for r in ordered_map(work, range(8), workers=2):
            got.append(r)
    assert got == [0, 1, 4, 9, 16]
