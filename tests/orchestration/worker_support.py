"""A function for a worker process to run (tests/orchestration/test_worker.py)."""

import sys


def loaded(*modules: str) -> dict[str, bool]:
    """Which of `modules` the calling process has imported."""
    return {m: m in sys.modules for m in modules}
