"""A function for a worker process to run (tests/orchestration/test_worker.py)."""

import sys


def loaded(*modules: str) -> dict[str, bool]:
    """Which of `modules` the calling process has imported."""
    return {m: m in sys.modules for m in modules}


def chatty(n: int) -> int:
    """Prints to stdout, from Python and from the C library, then answers n squared."""
    import ctypes
    import os

    print("a line on stdout", flush=True)
    os.write(1, b"bytes written to file descriptor 1\n")
    ctypes.CDLL(None).puts(b"a line from C")
    return n * n


def slow_to_end(seconds: float, marker: str) -> str:
    """Answers at once, then keeps its process from ending for `seconds` (as an interpreter tearing
    down a large import does), and writes `marker` when it has ended by itself."""
    import atexit
    import time
    from pathlib import Path

    def linger() -> None:
        time.sleep(seconds)
        Path(marker).write_text("ended by itself")

    atexit.register(linger)
    return "answered"
