"""Simulate a fictional brand's private-domain data: every landing entity of docs/sources.md in the
shapes the platforms send (platform.py, shapes.py), with realistic identity mess and injected defects,
plus `_truth/` describing what really happened: persons, identities, orders, friendships, invitations,
`defects.csv` (every injected defect with the quarantine reason and field it expects) and `shapes.csv`
(every legitimate variation, counted against what it could have hit, all expected to load).

People are generated in independently seeded chunks (`SimConfig.chunk_size`), each person living
the whole window, and records are appended to their per-day files every `SimConfig.flush_items`
records wherever they are made (sink.py): memory is bounded by a chunk of people (each holding
their own orders and friendships) and that buffer, plus the guides' daily counters (64 bytes a
guide-day) and a few dicts keyed by file (~7,500 files a year). 250,000 customers × 366 days
(27 M rows, 9 GiB) peak at 227 MB RSS, 325 MB when the employees' rows of every day waited for
the last flush.
The same arguments always give byte-identical files: nothing reads the clock or depends on
hash or set order.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from pathlib import Path

from . import chats, groups, journey, layout, marketing, org, outdir
from .clock import Window, day_str
from .config import SimConfig
from .ctx import Ctx
from .outdir import ForeignFolder
from .people import make_chunk
from .sink import Sink
from .truth import Truth
from .world import build

__all__ = ["ForeignFolder", "SimConfig", "simulate"]
SOURCES = sorted({source for source, _ in layout.FILES})


def simulate(out_dir: Path, customers: int = 2000, days: int = 60, seed: int = 7,
             end_date: date = date(2026, 10, 31), progress: Callable[[str, int, int], None] | None = None,
             config: SimConfig | None = None) -> dict:
    """Write landing files for business days end_date−days+1 … end_date under `out_dir` and the
    truth under `out_dir/_truth`; returns a summary (also written as `_truth/manifest.json`).
    `out_dir` must be new, empty or an earlier simulation's, whose files are replaced; anything else
    raises ForeignFolder and is left as it was (outdir.py)."""
    cfg = config or SimConfig()
    out = Path(out_dir)
    outdir.claim(out, [*SOURCES, "_truth"])
    window = Window.of(end_date, days, cfg.history_days, cfg.snapshot_every_days)
    world = build(seed, customers, window, cfg)
    truth = Truth(out / "_truth")
    sink = Sink(out, window, cfg.defects, cfg.shapes, seed, truth.defects, cfg.flush_items)
    _plan_snapshots(sink, world, window, cfg.shapes.group_files_every)
    ctx = Ctx(world, sink)
    ctx.rng = random.Random(f"{seed}:brand")
    org.write(ctx)
    marketing.spend(ctx)
    report = progress or (lambda label, done, total: None)
    for index, first in enumerate(range(0, customers, cfg.chunk_size)):
        count = min(cfg.chunk_size, customers - first)
        rng, people = make_chunk(world, index, first, count)
        ctx.rng = rng
        chunk_groups = groups.make_groups(rng, world, index, count)
        for i, p in enumerate(people, start=1):
            journey.live(ctx, p, chunk_groups)
            if sink.pending >= cfg.flush_items:
                sink.flush()
            if i % 500 == 0 and i < count:
                report("customers", first + i, customers)
        groups.emit(ctx, chunk_groups)
        truth.write_people(people, window, world.snapshots["wecom/external_contact"])
        report("customers", first + count, customers)
    ctx.rng, staff = journey.staff_and_tests(world)
    for p in staff:
        journey.live(ctx, p, [])
    truth.write_people(staff, window, world.snapshots["wecom/external_contact"])
    ctx.rng = random.Random(f"{seed}:behavior")
    org.user_behavior(ctx)
    chats.emit_switches(ctx)
    sink.close()
    summary = {
        "arguments": {"customers": customers, "days": days, "seed": seed, "end_date": end_date.isoformat()},
        "business_dates": [day_str(window.first_day), day_str(window.last_day)],
        "snapshot_dates": [day_str(d) for d in window.snapshot_days],
        "snapshots_delivered": {k: [day_str(d) for d in days] for k, days in sorted(world.snapshots.items())},
        "files": len(sink.files.rows),
        "rows_per_entity": sink.files.entity_rows(),
        "genuine_rows_per_entity": dict(sorted(sink.genuine.items())),
        "defects": dict(sorted(sink.defect_counts.items())),
        "defect_opportunities": sink.opportunities,
        "shapes": {f"{e}:{s}": n for e, s, _, n, *_ in sink.shape_rows()},
        "persons": dict(sorted(truth.kinds.items())),
        "truth_rows": dict(truth.counts),
        "config": cfg.as_dict(),
    }
    truth.close(summary, sink.shape_rows())
    outdir.seal(out)
    return summary


def _plan_snapshots(sink: Sink, world, window: Window, group_files_every: int) -> None:
    """Skipped snapshot days go to the truth as shapes; every n-th group_chat delivery is per group."""
    for key, days in world.snapshots.items():
        sink.days_planned[key] = len(window.snapshot_days)
        if len(days) < len(window.snapshot_days):
            sink.hits[(key, "snapshot_skipped")] = len(window.snapshot_days) - len(days)
    groups_days = world.snapshots["wecom/group_chat"]
    sink.group_files_on({d for i, d in enumerate(groups_days) if i % group_files_every == 1})
