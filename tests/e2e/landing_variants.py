"""The same landing delivered in other but equivalent ways (docs/sources.md, "Landing layout").

Each function rewrites a copy of a landing folder in place. None changes what a delivery means:
files split in parts and renamed, CRLF and a BOM, a JSONL file as a JSON array, exact retries in a
second file, records re-serialised (keys reversed, Chinese as \\u escapes) with keys the platform
added, and personal free text that nobody filled ("") instead of a value the product drops anyway.
Lines that are not JSON objects (the simulator's truncated records) are kept byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from ingestion.contracts import CONTRACTS

ADDED = {"x_added_by_platform": {"flag": True, "note": "new"}}


def day_files(landing: Path):
    for (source, entity), contract in CONTRACTS.items():
        for path in sorted((landing / source / entity).glob("*/*")):
            if path.is_file():
                yield contract, path


def equivalent_bytes(landing: Path) -> None:
    """Every equivalent rewriting at once, file by file."""
    for n, (contract, path) in enumerate(day_files(landing)):
        if path.suffix == ".csv":
            _csv(contract, path, n)
        elif path.suffix in (".jsonl", ".json"):
            _json(contract, path, n)


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
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows([header, *part])
        (path.parent / f"part{k}_{n}.csv").write_bytes(out.getvalue().encode("utf-8-sig"))


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
    if "json" in contract.formats and all(_is_object(line) for line in lines):
        # (a file with a truncated record stays JSONL: in an array it would be a different delivery)
        body = "[\r\n" + ",\r\n".join(lines) + "\r\n]\r\n"  # the JSONL file as one JSON array
        (path.parent / f"export_{n}.json").write_text(body, encoding="utf-8-sig")
    else:
        (path.parent / f"export_{n}.jsonl").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    if contract.kind == "events" and objects:
        (path.parent / f"retry_{n}.jsonl").write_text("\n".join(objects[:3]) + "\n", encoding="utf-8")


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
