"""The same landing delivered in other but equivalent ways (docs/sources.md, "Landing layout").

Each function rewrites a copy of a landing folder in place. None changes what a delivery means:
files split in parts and renamed, CRLF and a BOM, a CSV export as an .xlsx workbook (text cells),
in GB18030 or with its columns in another order and every field quoted, an extension in capitals, a
JSONL file as a JSON array (one record a line, or indented) or as the API's responses stored whole
(pages of records), exact retries in a second file and in the next day's folder, events arriving a
day late, records re-serialised (keys reversed, Chinese as \\u escapes) with keys the platform added,
and personal free text that nobody filled ("") instead of a value the product drops anyway. Lines
that are not JSON objects (the simulator's truncated records) are kept byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from openpyxl import Workbook

from ingestion.contracts import CONTRACTS

ADDED = {"x_added_by_platform": {"flag": True, "note": "new"}}


def day_files(landing: Path):
    for (source, entity), contract in CONTRACTS.items():
        for path in sorted((landing / source / entity).glob("*/*")):
            if path.is_file():
                yield contract, path


def equivalent_bytes(landing: Path) -> None:
    """Every equivalent rewriting at once: events moved and repeated across days, then file by file
    (the n-th file of the landing gets the n-th of each rotation of formats)."""
    late_and_repeated(landing)
    for n, (contract, path) in enumerate(day_files(landing)):
        if path.suffix == ".csv":
            _csv(contract, path, n)
        elif path.suffix in (".jsonl", ".json"):
            _json(contract, path, n)
    for n, (_, path) in enumerate(list(day_files(landing))):
        if n % 5 == 0:  # `ExportOrderList.CSV`, as some Windows tools name their exports
            path.rename(path.with_suffix(path.suffix.upper()))


# Event feeds whose folder does not decide between two rows of one key: a record never changes once
# sent, or carries its own version. Not Tmall's trades (the latest file wins), nor POS receipts and
# mass-message results (a later row of the same key, a card swiped after the sale or a send's new
# status, replaces the earlier one by arriving later).
ARRIVAL_FREE = {
    ("wecom", "contact_event"), ("wecom", "user_behavior"), ("wecom", "message"), ("oa", "event"),
    ("mp", "event"), ("youzan", "trade"), ("youzan", "refund"), ("douyin", "order"),
    ("douyin", "after_sale"), ("leads", "oceanengine"), ("ads", "spend"), ("fission", "invitation"),
}


def late_and_repeated(landing: Path) -> None:
    """Events: in each day's first text file, the last two records arrive a day late (moved into a
    new file of the next day's folder) and the first two are pushed again there (a retry of an
    earlier day). Their times are in the records, so the day folder they come in changes nothing."""
    for source, entity in sorted(ARRIVAL_FREE):
        days = sorted(d for d in (landing / source / entity).glob("*") if d.is_dir())
        for day, following in zip(days, days[1:], strict=False):
            texts = sorted(p for p in day.iterdir() if p.suffix in (".csv", ".jsonl"))
            if not texts:
                continue
            path = texts[0]
            header, records = _records(path)
            whole = [r for r in records if _is_record(path, r, header)]
            if len(whole) < 6:
                continue
            late, repeated = whole[-2:], whole[:2]
            _write_records(path, header, [r for r in records if r not in late])
            _write_records(following / f"zz_late_{day.name}{path.suffix}", header, late + repeated)


def _records(path: Path) -> tuple[list | None, list]:
    """(the CSV header or None, the records: CSV rows or JSONL lines)."""
    text = decode(path.read_bytes())
    if path.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        return (rows[0], rows[1:]) if rows else (None, [])
    return None, [line for line in text.splitlines() if line.strip()]


def _is_record(path: Path, record, header) -> bool:
    """A whole record (not one of the simulator's truncated ones)."""
    return len(record) == len(header) if path.suffix == ".csv" else _is_object(record)


def _write_records(path: Path, header, records: list) -> None:
    if header is None:
        path.write_text("".join(line + "\n" for line in records), encoding="utf-8")
    else:
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows([header, *records])
        path.write_text(out.getvalue(), encoding="utf-8")


def saved_twice(landing: Path, day: str) -> list[tuple[str, str]]:
    """Every file of one day downloaded a second time into its folder (`x (1).jsonl`):
    (original, copy) pairs, as paths relative to the landing folder."""
    pairs = []
    for folder in sorted(landing.glob(f"*/*/{day}")):
        for f in sorted(p for p in folder.iterdir() if p.is_file()):
            copy = f.with_name(f"{f.stem} (1){f.suffix}")
            shutil.copy(f, copy)
            pairs.append((str(f.relative_to(landing)), str(copy.relative_to(landing))))
    return pairs


def decode(raw: bytes) -> str:
    """A landing text file in whichever of its allowed encodings it is in."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"unexpected encoding: {raw[:40]!r}")


def _csv(contract, path: Path, n: int) -> None:
    rows = list(csv.reader(io.StringIO(decode(path.read_bytes()), newline="")))
    if not rows:
        return
    header, body = rows[0], rows[1:]
    free = {f.path for f in contract.fields if f.kind == "free" and f.pii == "drop"}
    for r in body:
        for i, column in enumerate(header):
            if column in free and i < len(r):
                r[i] = ""
    half = len(body) // 2
    parts = [body[:half], body[half:]] if half else [body]
    if contract.kind == "events" and body:
        parts.append([r for r in body[:3] if len(r) == len(header)])  # a retried push of three rows
    path.unlink()
    for k, part in enumerate(parts):
        target = path.parent / f"part{k}_{n}.csv"
        # (a truncated CSV row would be a row with empty cells in a sheet: another delivery)
        if n % 4 == 0 and "xlsx" in contract.formats and all(len(r) == len(header) for r in part):
            _xlsx(target.with_suffix(".xlsx"), [["销售流水报表"], header, *part])  # a title row above
            continue
        out = io.StringIO(newline="")
        if n % 4 == 1:  # a Chinese back office's export: GB18030, tab-separated, a title and a note above
            rows = [["销售流水报表"], ["导出时间：", ""], header, *part]
            csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
            target.write_bytes(out.getvalue().encode("gb18030"))
        elif n % 4 == 2:  # the columns in another order, every field quoted
            rows = [list(reversed(r)) for r in [header, *part]]
            csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
            target.write_bytes(out.getvalue().encode("utf-8"))
        else:  # saved again by Excel: BOM, CRLF, and the formatted range's empty rows as `,,,,`
            csv.writer(out, lineterminator="\r\n").writerows([header, *part, *[[""] * len(header)] * 2])
            target.write_bytes(out.getvalue().encode("utf-8-sig"))


def _xlsx(path: Path, rows: list) -> None:
    """The rows as a workbook's first sheet of text cells. A CSV export guards long numbers as
    ="…" for Excel; a workbook holds them as text cells, so the guard is not written."""
    book = Workbook()
    for row in rows:
        book.active.append([v[2:-1] if v.startswith('="') and v.endswith('"') else v for v in row])
    book.save(path)


def _json(contract, path: Path, n: int) -> None:
    text = decode(path.read_bytes())
    stripped = text.lstrip()
    if stripped.startswith("["):
        records = [_rewrite(contract, r) for r in json.loads(stripped)]
        lines = [json.dumps(r, ensure_ascii=True) for r in records]
    elif path.suffix == ".json" and stripped.startswith("{") and "\n{" not in stripped.rstrip():
        lines = [json.dumps(_rewrite(contract, json.loads(stripped)), ensure_ascii=True)]
    else:
        lines = [_line(contract, line) for line in text.splitlines() if line.strip()]
    objects = [line for line in lines if line.startswith("{")]
    path.unlink()
    if contract.pages and n % 2 == 1 and all(_is_object(line) for line in lines):
        # the API's responses stored whole, a page of up to 50 records a line
        (path.parent / f"pages_{n}.jsonl").write_text("".join(_pages(contract, lines)), encoding="utf-8")
    elif "json" in contract.formats and all(_is_object(line) for line in lines):
        # (a file with a truncated record stays JSONL: in an array it would be a different delivery)
        body = "[\r\n" + ",\r\n".join(lines) + "\r\n]\r\n"  # the JSONL file as one JSON array
        if n % 3 == 0:  # indented, as a JSON viewer saves it
            body = json.dumps([json.loads(line) for line in lines], ensure_ascii=False, indent=2)
        (path.parent / f"export_{n}.json").write_text(body, encoding="utf-8-sig")
    else:
        (path.parent / f"export_{n}.jsonl").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    if contract.kind == "events" and objects:
        (path.parent / f"retry_{n}.jsonl").write_text("\n".join(objects[:3]) + "\n", encoding="utf-8")


def _pages(contract, lines: list[str], size: int = 50):
    """The records as the responses of the contract's first API page: nested at its path, and for
    an item-shaped page (Douyin's after-sales) each record back in the item it is taken from."""
    page = contract.pages[0]
    items = []
    for line in lines:
        record = json.loads(line)
        if page.take:
            item = {page.take: record}
            for key, where in page.adds:
                *parents, last = where.split(".")
                node = item
                for part in parents:
                    node = node.setdefault(part, {})
                node[last] = record.pop(key, None)
            record = item
        items.append(record)
    for i in range(0, len(items), size):
        doc = items[i:i + size]
        for key in reversed(page.path.split(".")):
            doc = {key: doc}
        yield json.dumps({"code": 0, "message": "OK", **doc}, ensure_ascii=False) + "\n"


def _is_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _line(contract, line: str) -> str:
    try:
        record = json.loads(line)
    except ValueError:
        return line
    if not isinstance(record, dict):
        return line
    return json.dumps(_rewrite(contract, record), ensure_ascii=True)


def _rewrite(contract, record):
    record = _blank_free_text(contract, record)
    return _reverse_and_add(record)


def _blank_free_text(contract, record: dict) -> dict:
    inner = record.get(contract.root, record) if contract.root else record
    for f in contract.fields:
        if f.kind == "free" and f.pii == "drop":
            *parents, last = f.path.split(".")
            obj = inner
            for part in parents:
                obj = obj.get(part) if isinstance(obj, dict) else None
            if isinstance(obj, dict) and last in obj:
                obj[last] = ""
    return record


def _reverse_and_add(value):
    if isinstance(value, dict):
        items = [(k, _reverse_and_add(v)) for k, v in value.items()] + list(ADDED.items())
        return dict(reversed(items))
    if isinstance(value, list):
        return [_reverse_and_add(v) for v in value]
    return value
