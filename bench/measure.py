"""Running a bench's command in a process of its own and measuring it: wall and CPU seconds of the
process and every descendant, the process tree's peak RSS, the machine's load before, during and
after (bench/engines.py, bench/cost_curve.py)."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def tree_rss_kb(root: int) -> int:
    """Summed VmRSS of `root` and its descendants (shared pages counted in each)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grown, total = {root}, {root}, 0
    while grown:
        grown = {pid for pid, parent in parents.items() if parent in grown} - tree
        tree |= grown
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def measured(cmd: list[str], env: dict, log: Path) -> dict:
    """`cmd` in a process of its own, with its resources, every descendant's included, and the load."""
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        peak, loads, done = [0], [], threading.Event()

        def sample() -> None:
            while not done.wait(0.5):
                peak[0] = max(peak[0], tree_rss_kb(proc.pid))
                loads.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
        # orphans (pyspark leaves its JVM to end on its own) are ours to reap: their time counts
        deadline, left = time.monotonic() + 120, False
        while True:
            try:
                pid, _, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                if time.monotonic() > deadline:  # counted no further, said so in the result
                    left = True
                    break
                time.sleep(0.2)
                continue
            cpu, rss = cpu + usage.ru_utime + usage.ru_stime, max(rss, usage.ru_maxrss)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
    if status != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} failed ({os.waitstatus_to_exitcode(status)}): see {log}")
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "peak_rss_largest_mb": round(rss / 1024),
            "peak_rss_tree_mb": round(peak[0] / 1024), "load_before": round(load_before, 2),
            "load_during_mean": round(sum(loads) / len(loads), 2) if loads else None,
            "load_during_max": round(max(loads), 2) if loads else None,
            "load_after": round(os.getloadavg()[0], 2), "log": str(log),
            **({"descendants_still_running": True} if left else {})}
