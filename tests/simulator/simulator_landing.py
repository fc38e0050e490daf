"""Reading the simulator's output back for tests, independently of the pipeline's own readers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import orjson

BOM = b"\xef\xbb\xbf"
# Any unmasked mainland mobile as people type it: 13812345678, +86 138 1234 5678, 86-13812345678.
PHONE = re.compile(r"(?<![\d*])(?:\+?86[ -]?)?(1\d{2}) ?(\d{4}) ?(\d{4})(?![\d*])")
TOKEN = re.compile(r"[\w@#\-]+")


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): BOM → utf-8-sig; valid UTF-8 → utf-8; anything else must be GB18030."""
    if raw.startswith(BOM):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("gb18030"), "gb18030"


def landing_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and not p.relative_to(root).parts[0].startswith("_"))


def xlsx_rows(path: Path) -> list[list[str]]:
    """The first sheet's rows as the text a CSV export would hold."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [[_cell(v) for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
    return rows


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def text_of(path: Path) -> str:
    if path.suffix == ".xlsx":
        return "\n".join(",".join(row) for row in xlsx_rows(path))
    return decode(path.read_bytes())[0]


def records(root: Path) -> Iterator[tuple[str, str, str, str, int, object]]:
    """(file, source, entity, day, row_number, record); record is a dict keyed by the platform's field
    or column names, or None when the line or row cannot be parsed."""
    for path in landing_files(root):
        rel = path.relative_to(root).as_posix()
        source, entity, day, _ = rel.split("/")
        if path.suffix in (".csv", ".xlsx"):
            if path.suffix == ".xlsx":
                rows = xlsx_rows(path)
            else:
                rows = list(csv.reader(io.StringIO(decode(path.read_bytes())[0], newline="")))
            header = rows[0]
            for i, row in enumerate(rows[1:], start=1):
                rec = dict(zip(header, row, strict=True)) if len(row) == len(header) else None
                yield rel, source, entity, day, i, rec
        elif path.suffix == ".json":   # one object per file (a group chat), pretty-printed
            yield rel, source, entity, day, 1, orjson.loads(decode(path.read_bytes())[0])
        else:
            text = decode(path.read_bytes())[0]
            assert text.endswith("\n") and "\r" not in text.replace("\r\n", ""), rel   # LF or CRLF, not mixed
            for i, line in enumerate(text.split("\n")[:-1], start=1):
                try:
                    rec = orjson.loads(line.removesuffix("\r"))
                except orjson.JSONDecodeError:
                    rec = None
                yield rel, source, entity, day, i, rec


def truth(root: Path, name: str) -> list[dict]:
    with (root / "_truth" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def phones_in(text: str) -> set[str]:
    return {"+86" + "".join(m.groups()) for m in PHONE.finditer(text)}


def tokens_in(text: str) -> set[str]:
    return set(TOKEN.findall(text))


def defect_rows(root: Path, with_field: bool = False) -> dict[tuple[str, str], list[tuple]]:
    """(file, row_number as text) → [(defect, expected)] from _truth/defects.csv, or
    [(defect, expected, field)] with the field a corrupting defect broke."""
    out: dict[tuple[str, str], list[tuple]] = {}
    for row in truth(root, "defects"):
        item = (row["defect"], row["expected"]) + ((row["field"],) if with_field else ())
        out.setdefault((row["file"], row["row_number"]), []).append(item)
    return out


def genuine(root: Path) -> Iterator[tuple[str, str, str, str, int, object]]:
    """Records that are neither copies (duplicates, retries) nor corrupted copies."""
    copies = {k for k, rows in defect_rows(root).items() if any(e != "loaded" for _, e in rows)}
    for item in records(root):
        if (item[0], str(item[4])) not in copies:
            yield item
