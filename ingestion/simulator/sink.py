"""Where records go: buffered per (source, entity, business day), appended to landing files in
the entity's encoding, with delivery defects (late, duplicated, retried, corrupted) injected on the
way and every injected defect written to `_truth/defects.csv` with its file and row number.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from pathlib import Path

import orjson

from . import defects as dfx
from . import layout, xlsx
from .clock import Window
from .config import DefectRates


class Sink:
    def __init__(self, root: Path, window: Window, rates: DefectRates, seed: int, defects_out):
        self.root, self.window, self.rates, self.seed = root, window, rates, seed
        self.defects_out = defects_out
        self.buf: dict[tuple[str, str, int], list] = {}
        self.pending = 0
        self.rows: dict[str, int] = {}
        self.encodings: dict[str, str] = {}
        self.genuine: Counter = Counter()
        self.defect_counts: Counter = Counter()
        self._kinds: dict[tuple[str, ...], int] = {}
        self._late_opportunities = self._retry_opportunities = 0
        self._max_rate = sum(getattr(rates, k) for k in dfx.CORRUPTING)
        self._shapes: dict[tuple[str, str], dfx.Shape] = {}
        self._sheets: dict[str, list[list[str]]] = {}

    def shape(self, src: str, ent: str) -> dfx.Shape:
        sh = self._shapes.get((src, ent))
        if sh is None:
            sh = self._shapes[(src, ent)] = dfx.shape(src, ent, layout.is_table(src, ent))
        return sh

    def put(self, rng: random.Random, src: str, ent: str, day: int, rec, *, test: bool = False,
            tags: tuple[str, ...] = (), clean: bool = False) -> bool:
        """Offer one genuine record of business day `day`; returns True if a corrupted copy was added.
        `clean` skips delivery defects (org master data, which the brand types by hand)."""
        key = (src, ent)
        self.genuine[key] += 1
        if test:
            tags = (*tags, "test_account")
        if clean:
            self._add(src, ent, day, rec, tags)
            return False
        r, last, sh = self.rates, self.window.last_day, self._shapes.get(key) or self.shape(src, ent)
        delayable = sh.contract.kind == "events" and key not in layout.NO_DELAY
        folder = day
        if delayable and day < last:
            self._late_opportunities += 1
            if rng.random() < r.late_event:
                folder = min(day + 1 + rng.randrange(3), last)
                tags = (*tags, "late_event")
        self._add(src, ent, folder, rec, tags)
        if rng.random() < r.duplicate_push:
            self._add(src, ent, folder, rec, ("duplicate_push",))
        if delayable and folder < last:
            self._retry_opportunities += 1
            if rng.random() < r.retry_later:
                self._add(src, ent, min(folder + 1 + rng.randrange(3), last), rec, ("retry_later",))
        kinds = dfx.applicable(rec, sh)
        if sh.csv and layout.is_xlsx(src, ent, folder):
            kinds = tuple(k for k in kinds if k != "wrong_field_count")
        self._kinds[kinds] = self._kinds.get(kinds, 0) + 1
        u = rng.random()
        if u >= self._max_rate:
            return False
        acc = 0.0
        for kind in kinds:
            acc += getattr(r, kind)
            if u < acc:
                self._add(src, ent, folder, dfx.corrupt(rec, sh, kind, folder, rng), (kind,))
                return True
        return False

    @property
    def opportunities(self) -> dict[str, int]:
        """How many genuine records each defect type could have hit (the rates' denominators)."""
        out: Counter = Counter()
        for kinds, n in self._kinds.items():
            for kind in kinds:
                out[kind] += n
        out["duplicate_push"] = sum(self._kinds.values())
        out["late_event"] = self._late_opportunities
        out["retry_later"] = self._retry_opportunities
        return dict(sorted(out.items()))

    def _add(self, src: str, ent: str, day: int, payload, tags) -> None:
        items = self.buf.get((src, ent, day))
        if items is None:
            items = self.buf[(src, ent, day)] = []
        items.append((payload, tags or None))
        self.pending += 1

    def flush(self) -> None:
        for (src, ent, day), items in sorted(self.buf.items()):
            rel = layout.rel_path(src, ent, day)
            sh = self.shape(src, ent)
            first = self.rows.get(rel, 0)
            if rel.endswith(".xlsx"):
                self.encodings[rel] = "xlsx"
                self._sheets.setdefault(rel, [list(sh.header)]).extend(p for p, _ in items)
            else:
                self._append(rel, sh, day, items, new=rel not in self.rows)
            for i, (_, tags) in enumerate(items):
                for tag in tags or ():
                    self._defect(rel, first + i + 1, tag)
            self.rows[rel] = first + len(items)
        self.buf.clear()
        self.pending = 0

    def _append(self, rel: str, sh: dfx.Shape, day: int, items: list, new: bool) -> None:
        out = io.BytesIO()
        if new:
            src, ent = rel.split("/")[:2]
            encoding = self.encodings[rel] = layout.encoding(src, ent, day, self.seed, self.rates.bom_file)
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            if sh.csv:
                out.write(_csv_text([sh.header]).encode(encoding))
            if encoding in layout.FILE_DEFECTS:
                self._defect(rel, "", layout.FILE_DEFECTS[encoding])
        codec = "utf-8" if self.encodings[rel] == "utf-8-sig" else self.encodings[rel]   # one BOM, at the top
        if sh.csv:
            out.write(_csv_text([p for p, _ in items]).encode(codec))
        else:
            for payload, _ in items:
                out.write(payload.encode() if isinstance(payload, str) else orjson.dumps(payload))
                out.write(b"\n")
        with (self.root / rel).open("wb" if new else "ab") as fh:
            fh.write(out.getvalue())

    def close(self) -> None:
        """Flush, then write the workbooks (small: they are kept whole until the end)."""
        self.flush()
        for rel, rows in sorted(self._sheets.items()):
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            xlsx.write(self.root / rel, rows)

    def _defect(self, rel: str, row, tag: str) -> None:
        self.defects_out.writerow([rel, row, tag, dfx.EXPECTED[tag]])
        self.defect_counts[tag] += 1

    def entity_rows(self) -> dict[str, int]:
        out: Counter = Counter()
        for rel, n in self.rows.items():
            src, ent = rel.split("/")[:2]
            out[f"{src}/{ent}"] += n
        return dict(sorted(out.items()))


def _csv_text(rows) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()

