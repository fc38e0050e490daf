"""The simulator streams: records reach their files every `write_every` records wherever they are
offered (the employees' user_behavior rows, made at the very end, included), and when they do
changes no byte of the landing or the truth."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import simulator
from simulator import SimConfig, simulate
from simulator.sink import Sink

# Small chunks and flushes: many chunks appending to the same files, many flushes of defects.csv.
CONFIG = SimConfig(chunk_size=70, flush_items=400)


def _digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _simulate(monkeypatch, out: Path, write_every: int | None) -> list[int]:
    """Simulate with records appended every `write_every` records (None: the default, flush_items);
    returns how many records were held at each append."""
    held: list[int] = []

    class Probe(Sink):
        def _write(self) -> None:
            held.append(self.buffered)
            super()._write()

    def sink(*args):
        probe = Probe(*args)
        probe.write_every = write_every or probe.write_every
        return probe

    monkeypatch.setattr(simulator, "Sink", sink)
    simulate(out, customers=250, days=10, seed=3, config=CONFIG)
    return held


def test_appending_records_sooner_changes_no_byte(monkeypatch, tmp_path):
    default = _simulate(monkeypatch, tmp_path / "default", None)
    digests = _digests(tmp_path / "default")
    defect_rows = (tmp_path / "default" / "_truth" / "defects.csv").read_text().count("\n") - 1
    assert len(default) > 5 and defect_rows > 200   # several flushes, defects.csv rows in each
    for every in (1, 37):
        held = _simulate(monkeypatch, tmp_path / f"every{every}", every)
        assert len(held) > 5 * len(default)
        assert _digests(tmp_path / f"every{every}") == digests, f"appending every {every} records"


def test_no_more_records_are_held_than_write_every(monkeypatch, tmp_path):
    held = _simulate(monkeypatch, tmp_path / "a", 50)
    assert max(held) <= 50
    rows = json.loads((tmp_path / "a" / "_truth" / "manifest.json").read_text())["rows_per_entity"]
    assert sum(held) == sum(rows.values())   # every record written, once
    # appended at flushes only (between people, and at the end), the last append held every record
    # made after the last chunk: the employees' journeys and their user_behavior row for every day
    at_flushes = _simulate(monkeypatch, tmp_path / "b", 10**9)
    assert at_flushes[-1] > 2 * CONFIG.flush_items
