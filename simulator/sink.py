"""Where records go: buffered per (entity, business day, part file), appended to landing files, with
delivery defects (late, duplicated, retried, corrupted) and serialisation shapes (key order, parts,
re-serialised retries) applied on the way. Every injected defect is written to `_truth/defects.csv`
with its file, row number and the field it broke; every shape is counted for `_truth/shapes.csv`.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

from . import defects as dfx
from . import layout
from .clock import Window
from .config import DefectRates, ShapeRates
from .files import Files
from .shapes import EXPECTED, SHAPES, reorder

SPLIT_BLOCK = 10   # rows dealt to each part file in turn on a split day
NO_SPLIT = {"wecom/group_chat"}   # delivered per group on some days instead
# On a per-group day, the first groups get a file each and the rest stay in the day's JSONL (a folder may
# mix both): a million-customer brand has ~8,000 groups, and 8,000 one-record files cost a loader minutes.
GROUP_FILES_PER_DAY = 40


class Sink:
    def __init__(self, root: Path, window: Window, rates: DefectRates, shapes: ShapeRates, seed: int,
                 defects_out, write_every: int):
        self.window, self.rates, self.seed, self.shape_rates = window, rates, seed, shapes
        self.files = Files(root, seed, rates, shapes)
        self.defects_out = defects_out
        self.buf: dict[tuple[str, int, str], list] = {}
        self.pending = 0    # records offered since the last flush()
        self.buffered = 0   # records not yet appended to their files
        self.write_every = write_every
        self._rows: dict[tuple[str, int, str], list[tuple]] = {}   # defect rows waiting for flush()
        self.genuine: Counter = Counter()
        self.defect_counts: Counter = Counter()
        self.hits: Counter = Counter()          # (entity, shape) → records, files or days
        self.days_planned: dict[str, int] = {}  # snapshot entity → scheduled snapshot days
        self._kinds: dict[tuple[str, ...], int] = {}
        self._late_opportunities = self._retry_opportunities = 0
        self._max_rate = sum(getattr(rates, k) for k in dfx.CORRUPTING)
        self._shapes: dict[str, dfx.Shape] = {}
        self._entities: dict[tuple[str, str, str], tuple[str, dfx.Shape, bool]] = {}
        self._split: dict[tuple[str, int], int] = {}
        self._count: Counter = Counter()        # genuine records per (entity, folder day)
        self._group_files: Counter = Counter()  # group chats in files of their own, per day

    def group_files_on(self, days) -> None:
        """Days whose group chats come one per file; on other days none do."""
        self._group_files = Counter({d: GROUP_FILES_PER_DAY for d in self.window.days if d not in days})

    def _entity(self, src: str, ent: str, variant: str) -> tuple[str, dfx.Shape, bool]:
        key = f"{src}/{ent}"
        sh = self.shape(f"{key}#{variant}" if variant else key)
        entity = (key, sh, sh.spec.kind == "events" and key not in layout.NO_DELAY)
        self._entities[(src, ent, variant)] = entity
        return entity

    def shape(self, name: str) -> dfx.Shape:
        sh = self._shapes.get(name)
        if sh is None:
            sh = self._shapes[name] = dfx.shape(name)
        return sh

    def put(self, rng: random.Random, src: str, ent: str, day: int, rec, *, test: bool = False,
            tags: tuple[str, ...] = (), clean: bool = False, variant: str = "",
            shapes: tuple[str, ...] = ()) -> bool:
        """Offer one genuine record of business day `day`; returns True if a corrupted copy was added.
        `clean` skips delivery defects (org master data, which the brand types by hand); `variant`
        names a record kind with a shape of its own (`switch` chat-archive records); `shapes` are the
        legitimate variations the record carries (shapes.py), counted for the truth."""
        entity = self._entities.get((src, ent, variant)) or self._entity(src, ent, variant)
        key, sh, delayable = entity
        self.genuine[key] += 1
        hits = self.hits
        for s in shapes:
            hits[(key, s)] += 1
        if test:
            tags = (*tags, "test_account")
        if clean:
            self._add(key, day, "", rec, tags)
            return False
        if not sh.csv and rng.random() < self.shape_rates.key_order:
            rec = reorder(rec, rng)
            hits[(key, "key_order")] += 1
        r, last = self.rates, self.window.last_day
        folder = day
        if delayable and day < last:
            self._late_opportunities += 1
            if rng.random() < r.late_event:
                folder = min(day + 1 + rng.randrange(3), last)
                tags = (*tags, "late_event")
        if key == "wecom/group_chat" and self._group_files[folder] < GROUP_FILES_PER_DAY:
            self._group_files[folder] += 1
            self._add(key, folder, "g:" + rec["group_chat"]["chat_id"], rec, tags)
            return False   # a file of one group: a copy would be a second file, a garbled one unreadable
        part = "" if self._split.get((key, folder)) == 0 else self._part(key, folder, sh.csv, count=True)
        self._add(key, folder, part, rec, tags)
        if rng.random() < r.duplicate_push:
            self._add(key, folder, part, self._retry(key, rec, sh, rng), ("duplicate_push",))
        if delayable and folder < last:
            self._retry_opportunities += 1
            if rng.random() < r.retry_later:
                later = min(folder + 1 + rng.randrange(3), last)
                self._add(key, later, self._part(key, later, sh.csv), rec, ("retry_later",))
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
                bad, path = dfx.corrupt(rec, sh, kind, folder, rng)
                self._add(key, folder, part, bad, (kind,), path)
                return True
        return False

    def _retry(self, key: str, rec, sh: dfx.Shape, rng: random.Random):
        """A platform retry: the same record, sometimes serialised anew (sources.md: still a repeat)."""
        if sh.csv or rng.random() >= self.shape_rates.retry_reserialised:
            return rec
        if rng.random() < 0.5:
            self.hits[(key, "retry_reordered")] += 1
            return reorder(rec, rng)
        self.hits[(key, "retry_escaped")] += 1
        return json.dumps(rec, ensure_ascii=True, separators=(", ", ": "))

    def _part(self, key: str, day: int, csv: bool, count: bool = False) -> str:
        """"" for a day in one file, else "001", "002" …: blocks of rows dealt to the parts in turn."""
        n = self._split.get((key, day))
        if n is None:
            r = random.Random(f"{self.seed}:split:{key}/{day}")
            split = not csv and key not in NO_SPLIT and r.random() < self.shape_rates.split_day
            n = self._split[(key, day)] = r.randint(2, 4) if split else 0
        if not n:
            return ""
        i = self._count[(key, day)]
        if count:
            self._count[(key, day)] += 1
        return f"{i // SPLIT_BLOCK % n + 1:03d}"

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

    def _add(self, key: str, day: int, part: str, payload, tags, path: str = "") -> None:
        items = self.buf.get((key, day, part))
        if items is None:
            items = self.buf[(key, day, part)] = []
        items.append((payload, tags or None, path))
        self.pending += 1
        self.buffered += 1
        if self.buffered >= self.write_every:
            self._write()

    def _write(self) -> None:
        """Append the buffered records to their files. Their defects.csv rows wait for flush(): a
        file's bytes depend only on the order of its own records, defects.csv on where flushes fall."""
        for (key, day, part), items in sorted(self.buf.items()):
            src, ent = key.split("/")
            rel = layout.rel_path(src, ent, day, part)
            first = self.files.rows.get(rel, 0)
            rows = self._rows.get((key, day, part))
            if rows is None:
                rows = self._rows[(key, day, part)] = []
            for shape in self.files.append(rel, self.shape(key).spec, items):
                rows.append((rel, "", shape, ""))
            if part.startswith("g:") and first == 0:   # one record a file: its first append
                rows.append((rel, "", "group_file", ""))
            for i, (_, tags, path) in enumerate(items):
                for tag in tags or ():
                    rows.append((rel, first + i + 1, tag, path))
        self.buf.clear()
        self.buffered = 0

    def flush(self) -> None:
        """Append what is buffered, then write the defects.csv rows of every record offered since the
        last flush, file by file. Records reach their files every `write_every` records wherever they
        are offered (the last flush holds every user_behavior row, ~190,000 at 250,000 customers ×
        365 days); the defect rows' order depends only on where flush() is called."""
        self._write()
        for _, rows in sorted(self._rows.items()):
            for rel, row, tag, path in rows:
                self._defect(rel, row, tag, path)
        self._rows.clear()
        self.pending = 0

    def close(self) -> None:
        """Flush, then write the workbooks (small: they are kept whole until the end)."""
        self.flush()
        self.files.close()
        for rel in self.files.split_parts():
            self._defect(rel, "", "split_part")

    def _defect(self, rel: str, row, tag: str, path: str = "") -> None:
        self.defects_out.writerow([rel, row, tag, EXPECTED[tag], path])
        self.defect_counts[tag] += 1
        if tag in SHAPES:
            self.hits[("/".join(rel.split("/")[:2]), tag)] += 1

    def shape_rows(self) -> list[tuple]:
        """`_truth/shapes.csv` rows: entity, shape, unit, count, of (the records, files or scheduled days
        it could have hit), share, expected."""
        files = self.files.files_per_entity()
        out = []
        for (key, shape), n in sorted(self.hits.items()):
            unit = SHAPES[shape][0]
            of = {"row": self.genuine[key], "file": files[key], "day": self.days_planned.get(key, 0)}[unit]
            out.append((key, shape, unit, n, of, f"{n / of:.4f}" if of else "", EXPECTED[shape]))
        return out
