"""Cutting JSON landing files into records: lines of JSONL, elements of a top-level array, or one
whole document, each record one string of JSON text (or the UNDECODABLE marker)."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.read.encoding import UNDECODABLE, body_codec, open_text

# A `.json` file whose first line is not a whole object is read as one document, up to this size;
# a larger one is taken as JSONL (a 256 MB pretty-printed single object is not an export we know).
WHOLE_DOCUMENT_LIMIT = 256 << 20
_OUTSIDE = {bytes: re.compile(rb'["\[\]{},]'), str: re.compile(r'["\[\]{},]')}
_INSIDE = {bytes: re.compile(rb'["\\]'), str: re.compile(r'["\\]')}


def line_array(block: bytes) -> pa.Array:
    """The non-blank lines of a UTF-8 block as one Arrow string array, cut with numpy: no Python
    work per line (a day of chat metadata is millions of lines)."""
    ends = np.flatnonzero(np.frombuffer(block, np.uint8) == 10) + 1
    if not len(ends) or ends[-1] != len(block):
        ends = np.append(ends, len(block))
    wide = len(block) >= 2**31  # 32-bit offsets address up to 2 GiB
    offsets = np.concatenate(([0], ends)).astype(np.int64 if wide else np.int32)
    lines = pa.Array.from_buffers(
        pa.large_string() if wide else pa.string(),
        len(offsets) - 1,
        [None, pa.py_buffer(offsets), pa.py_buffer(block)],
    )
    lines = pc.ascii_trim(lines, characters=" \t\r\n")  # ASCII bytes only: UTF-8 stays whole
    # files joined into one (`cat a.jsonl b.jsonl`), each beginning with its BOM
    if pc.any(pc.starts_with(lines, "\ufeff")).as_py():
        lines = pc.utf8_ltrim(lines, characters="\ufeff \t")
    blank = pc.equal(lines, "")
    return lines.filter(pc.invert(blank)) if pc.any(blank).as_py() else lines


# Objects written one after another without a line break (`{…}{…}`: a collector that forgot the
# newline) were one unparseable record, all of them lost for one warning.
_JOINED = r"\}\s*\{"


def split_joined(lines: pa.Array) -> pa.Array:
    """Each line holding several objects as one line per object; a line that is one object (a `}{`
    inside a string) stays as it is. Looked for by one RE2 scan of the block (~2 ms for 7 MB)."""
    hits = pc.match_substring_regex(lines, _JOINED)
    if not pc.any(hits).as_py():
        return lines
    out: list[str] = []
    for line, hit in zip(lines.to_pylist(), hits.to_pylist(), strict=True):
        out.extend(_joined_objects(line) if hit else [line])
    return pa.array(out, lines.type)


def _joined_objects(line: str) -> list[str]:
    """The objects of a line, each as its text; what follows the last whole one (a cut object) is a
    record of its own, quarantined as any cut line is."""
    try:
        json.loads(line)
        return [line]
    except ValueError:
        pass
    decoder, parts, pos = json.JSONDecoder(), [], 0
    while pos < len(line):
        try:
            value, end = decoder.raw_decode(line, pos)
        except ValueError:
            return [*parts, line[pos:]] if parts else [line]
        if not isinstance(value, dict):
            return [line]
        parts.append(line[pos:end])
        pos = end + len(line[end:]) - len(line[end:].lstrip())
    return parts


def piece_array(pieces: list) -> pa.Array:
    """Array elements / whole documents (bytes or str) as a string array; bytes that are not
    UTF-8 become the UNDECODABLE marker."""
    out = []
    for p in pieces:
        if isinstance(p, bytes):
            try:
                p = p.decode("utf-8")
            except UnicodeDecodeError:
                p = UNDECODABLE
        out.append(p.strip())
    return pa.array(out, pa.string())


def whole_document(f: BinaryIO, encoding: str) -> bytes | str | None:
    """The file as one record when it is a single JSON document spread over lines (pretty-printed),
    else None (then it is JSONL, whose first line is itself a whole object)."""
    first = f.readline()
    open_text(f, encoding)
    try:
        orjson.loads(first)
        return None
    except orjson.JSONDecodeError:
        pass
    start = f.tell()
    size = f.seek(0, 2) - start
    f.seek(start)
    if size > WHOLE_DOCUMENT_LIMIT:
        return None
    whole = f.read()
    f.seek(start)
    codec = body_codec(encoding)
    try:
        doc = whole if codec == "utf-8" else whole.decode(codec)
        orjson.loads(doc)
    except (orjson.JSONDecodeError, UnicodeDecodeError):
        return None  # not one document either: read it line by line, as JSONL
    return doc


def array_elements(chunks: Iterator[bytes], codec: str) -> Iterator[list]:
    """The raw text of each top-level element of a JSON array, streamed: strings and nesting are
    tracked so commas inside them do not split. A truncated array yields its partial last element,
    which then fails to parse and is quarantined. GB18030 is scanned decoded, as its trail bytes
    include [ ] { } and the backslash."""
    if codec != "utf-8":
        decoder = codecs.getincrementaldecoder(codec)("replace")
        chunks = (decoder.decode(c) for c in chunks)
    text = None
    i = start = depth = 0
    in_string = False
    for chunk in chunks:
        if text is None:
            kind = type(chunk)
            text = bytearray() if kind is bytes else ""
            outside, inside = _OUTSIDE[kind], _INSIDE[kind]
            quote, backslash, opening, closing = (
                (0x22, 0x5C, b"[{", b"]}") if kind is bytes else ('"', "\\", "[{", "]}")
            )
        text += chunk
        out = []
        while True:
            m = (inside if in_string else outside).search(text, i)
            if m is None:
                i = len(text)
                break
            j = m.start()
            c, i = text[j], j + 1
            if in_string:
                if c == backslash:
                    if j + 1 >= len(text):
                        i = j  # the escaped character is in the next chunk
                        break
                    i = j + 2
                else:
                    in_string = False
            elif c == quote:
                in_string = True
            elif c in opening:
                depth += 1
                if depth == 1:
                    start = j + 1
            elif c in closing:
                depth -= 1
                if depth == 0:
                    out.append(_piece(text, start, j))
                    yield [p for p in out if p is not None]
                    return
            elif depth == 1:  # a comma between elements
                out.append(_piece(text, start, j))
                start = j + 1
        yield [p for p in out if p is not None]
        if start:  # drop what has been cut out; keep the element in progress
            text = text[start:] if kind is str else _drop(text, start)
            i, start = i - start, 0
    if text is not None and depth > 0:
        yield [p for p in [_piece(text, start, len(text))] if p is not None]


def _piece(text, start: int, end: int):
    """An element's text, None when blank."""
    piece = text[start:end]
    piece = (bytes(piece) if isinstance(piece, bytearray) else piece).strip()
    if not piece:
        return None
    if isinstance(piece, str) and "\ufffd" in piece:
        return UNDECODABLE  # decoded with replacement characters: the bytes were not GB18030
    return piece


def _drop(buf: bytearray, n: int) -> bytearray:
    del buf[:n]
    return buf
