"""Landing files as the exporters write them: encodings (GBK, GB18030, UTF-8 with or without BOM),
line ends (CSV and some JSONL in CRLF), JSONL appended chunk by chunk, a group chat per pretty-printed
JSON file, and workbooks kept whole until the end."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import orjson

from . import layout, xlsx
from .config import DefectRates, ShapeRates
from .platform import Spec


class Files:
    def __init__(self, root: Path, seed: int, rates: DefectRates, shapes: ShapeRates):
        self.root, self.seed, self.rates, self.shapes = root, seed, rates, shapes
        self.rows: dict[str, int] = {}
        self.encodings: dict[str, str] = {}
        self.crlf: dict[str, bool] = {}
        self._sheets: dict[str, list[list[str]]] = {}

    def append(self, rel: str, spec: Spec, items: list) -> list[str]:
        """Append `items` [(payload, …)] to `rel`; returns the file-level shapes of a new file."""
        new = rel not in self.rows
        self.rows[rel] = self.rows.get(rel, 0) + len(items)
        if rel.endswith(".xlsx"):
            self.encodings[rel] = "xlsx"
            self._sheets.setdefault(rel, [list(spec.header)]).extend(p for p, *_ in items)
            return []
        shapes = []
        out = io.BytesIO()
        if new:
            src, ent = rel.split("/")[:2]
            enc = self.encodings[rel] = layout.encoding(src, ent, rel, self.seed, self.rates.bom_file,
                                                        self.shapes.jsonl_bom)
            self.crlf[rel] = layout.crlf(rel, self.seed, self.shapes.jsonl_crlf)
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            if spec.csv:
                out.write(_csv_text([spec.header]).encode(enc))
            elif enc == "utf-8-sig":
                out.write(b"\xef\xbb\xbf")
            if enc in layout.FILE_SHAPES:
                shapes.append(layout.FILE_SHAPES[enc])
            if self.crlf[rel] and rel.endswith(".jsonl"):
                shapes.append("crlf_file")
        codec = "utf-8" if self.encodings[rel] == "utf-8-sig" else self.encodings[rel]   # one BOM, at the top
        if spec.csv:
            out.write(_csv_text([p for p, *_ in items]).encode(codec))
        elif rel.endswith(".json"):   # one object, pretty-printed, as a per-group dump saves it
            out.write(json.dumps(items[0][0], ensure_ascii=False, indent=2).encode() + b"\n")
        else:
            end = b"\r\n" if self.crlf[rel] else b"\n"
            for payload, *_ in items:
                out.write(payload.encode() if isinstance(payload, str) else orjson.dumps(payload))
                out.write(end)
        with (self.root / rel).open("wb" if new else "ab") as fh:
            fh.write(out.getvalue())
        return shapes

    def close(self) -> None:
        for rel, rows in sorted(self._sheets.items()):
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            xlsx.write(self.root / rel, rows)

    def split_parts(self) -> list[str]:
        """Part files of the days delivered in two parts or more."""
        folders = Counter(rel.rsplit("/", 1)[0] for rel in self.rows if _is_part(rel))
        return sorted(rel for rel in self.rows if _is_part(rel) and folders[rel.rsplit("/", 1)[0]] > 1)

    def files_per_entity(self) -> Counter:
        return Counter("/".join(rel.split("/")[:2]) for rel in self.rows)

    def entity_rows(self) -> dict[str, int]:
        out: Counter = Counter()
        for rel, n in self.rows.items():
            out["/".join(rel.split("/")[:2])] += n
        return dict(sorted(out.items()))


def _is_part(rel: str) -> bool:
    stem = rel.rsplit("/", 1)[1].rsplit(".", 1)[0]
    return len(stem) > 4 and stem[-4] == "-" and stem[-3:].isdigit()


def _csv_text(rows) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()
