"""Run producers in background threads, a few items ahead of their consumer, in order.

The loader's reading and normalising is Python that holds the GIL between Arrow and DuckDB calls
that release it; writing a batch to DuckDB releases it too. Reading ahead keeps both of a 2-core
machine's cores busy; `depth` bounds how many finished items wait per generator, so memory stays
a few batches wide.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
_DONE = object()


def _drain(make: Callable[[], Iterable[T]], q: queue.Queue, stop: threading.Event) -> None:
    """Put every item of make() (then _DONE, or the error raised) into q until the consumer stops."""

    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    try:
        for item in make():
            if not put((item, None)):
                return
        put((_DONE, None))
    except BaseException as e:  # handed to the consumer, raised there
        put((_DONE, e))


def _take(q: queue.Queue) -> Iterator:
    while True:
        item, error = q.get()
        if error is not None:
            raise error
        if item is _DONE:
            return
        yield item


def in_order(producers: Iterable[Callable[[], Iterable[T]]], workers: int = 2, depth: int = 2) -> Iterator[T]:
    """The items of each producer's iterable, producer after producer, with up to `workers`
    producers running at once in a pool of threads (kept for the whole run, so per-thread state
    such as a DuckDB cursor is made once). The producer whose items are being consumed always
    runs; the next ones read ahead until `depth` items wait in their queue."""
    stop = threading.Event()
    running: deque[queue.Queue] = deque()
    todo = iter(producers)
    pool = ThreadPoolExecutor(workers, thread_name_prefix="siyu-reader")

    def submit() -> None:
        producer = next(todo, None)
        if producer is not None:
            q: queue.Queue = queue.Queue(maxsize=depth)
            pool.submit(_drain, producer, q, stop)
            running.append(q)

    try:
        for _ in range(workers):
            submit()
        while running:
            q = running.popleft()
            submit()
            yield from _take(q)
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)


def ordered_map(fn: Callable[[T], R], items: Iterable[T], workers: int = 2) -> Iterator[R]:
    """fn over items in a pool of `workers` threads, results in the items' order; at most
    `workers` + 1 items are taken ahead of the consumer."""
    pool = ThreadPoolExecutor(workers, thread_name_prefix="siyu-normaliser")
    pending: deque = deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=True)
