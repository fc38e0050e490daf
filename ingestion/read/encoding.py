"""Text encodings of landing files: detect UTF-8 / UTF-8 with BOM / GB18030 per file, then decode
line by line so that one corrupted line becomes one quarantined row instead of a wrong file. A file
that starts with a UTF-16 byte order mark is UTF-16, read through a UTF-8 copy.

Detection is strict first: pure ASCII or clean UTF-8 is UTF-8 (UTF-8 Chinese almost always also
"decodes" as GB18030, as mojibake, so UTF-8 must be tried first); clean GB18030 (a superset of GBK,
what Chinese Excel writes) is GB18030. Only when both fail somewhere does the side with fewer bad
lines win, and charset-normalizer breaks an exact tie.
"""

from __future__ import annotations

import codecs
import io
import re
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

import numpy as np
import pyarrow as pa
from charset_normalizer import from_bytes

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Read 4 MiB at a time: large enough that Python's per-chunk overhead vanishes, small enough to
# keep a reader's memory a few chunks wide whatever the file size.
CHUNK = 4 << 20
# Judge the encoding on 1 MiB of lines from the first non-ASCII byte on: a Chinese header or a
# few dozen records, which is where GBK and UTF-8 part ways.
SAMPLE = 1 << 20
_NON_ASCII = re.compile(rb"[\x80-\xff]")
GB_NAMES = ("gb18030", "gbk", "gb2312", "cp936", "hz")


def _bad_lines(lines: list[bytes], encoding: str) -> int:
    bad = 0
    for line in lines:
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            bad += 1
    return bad


def detect_encoding(f: BinaryIO) -> str:
    """'utf-8-sig', 'utf-8', 'gb18030' or 'utf-16' for an open binary file (left at offset 0)."""
    f.seek(0)
    head = f.read(3)
    f.seek(0)
    if head == BOM:
        return "utf-8-sig"
    if head[:2] in UTF16_BOMS:
        return "utf-16"
    f.seek(0)
    offset = 0
    while chunk := f.read(CHUNK):
        if not chunk.isascii():
            break
        offset += len(chunk)
    else:
        f.seek(0)
        return "utf-8"
    # Start at the line holding the first non-ASCII byte, end at a line end after SAMPLE bytes.
    first = _NON_ASCII.search(chunk).start()
    f.seek(offset + chunk.rfind(b"\n", 0, first) + 1)
    window = f.read(SAMPLE)
    window += f.readline()
    f.seek(0)
    lines = window.split(b"\n")
    utf8 = _bad_lines(lines, "utf-8")
    if utf8 == 0:
        return "utf-8"
    gb = _bad_lines(lines, "gb18030")
    if gb == 0:
        return "gb18030"
    if utf8 != gb:
        return "utf-8" if utf8 < gb else "gb18030"
    best = from_bytes(window).best()
    return "gb18030" if best is not None and best.encoding.lower() in GB_NAMES else "utf-8"


def open_text(f: BinaryIO, encoding: str) -> BinaryIO:
    """Position `f` after a BOM, so readers decode the body as plain UTF-8."""
    f.seek(3 if encoding == "utf-8-sig" else 0)
    return f


def body_codec(encoding: str) -> str:
    """The codec of the body readers get: a UTF-16 file reaches them as UTF-8 (as_utf8)."""
    return "utf-8" if encoding in ("utf-8-sig", "utf-16") else encoding


def as_utf8(f: BinaryIO) -> BinaryIO:
    """A UTF-16 file (its BOM says which byte order: Windows PowerShell's `>` and Notepad's
    "Unicode" write it) as a temporary UTF-8 file. A lone surrogate or a last odd byte becomes
    bytes that are no UTF-8, so its line is quarantined as undecodable_bytes, as in any file."""
    out = tempfile.TemporaryFile()
    decoder = codecs.getincrementaldecoder("utf-16")(errors="surrogatepass")
    while chunk := f.read(CHUNK):
        out.write(decoder.decode(chunk).encode("utf-8", "surrogatepass"))
    try:
        out.write(decoder.decode(b"", final=True).encode("utf-8", "surrogatepass"))
    except UnicodeDecodeError:
        out.write(b"\xff\n")
    out.seek(0)
    return out


# Stands in for a line whose bytes are not valid in the file's encoding: readers quarantine the
# record holding it as undecodable_bytes. A private-use character cannot come out of decoding an export.
UNDECODABLE = "\ue000undecodable\ue000"
_UNDECODABLE_LINE = (UNDECODABLE + "\n").encode()


class Utf8Blocks:
    """The body of a text file as UTF-8 blocks that end at a line end (b'\n' never occurs inside
    a GB18030 character: its trail bytes are all >= 0x30). A line that does not decode is replaced
    by UNDECODABLE and counted in `bad`; a 10 MB line simply makes a 10 MB block."""

    def __init__(self, f: BinaryIO, encoding: str):
        self.f, self.codec, self.bad = open_text(f, encoding), body_codec(encoding), 0

    def __iter__(self) -> Iterator[bytes]:
        rest, cr_only = b"", None
        while True:
            chunk = self.f.read(CHUNK)
            if cr_only is None and chunk:
                # lines ended by a lone CR (Excel for Mac's "CSV (Macintosh)"): no LF in the first chunk
                cr_only = b"\n" not in chunk and b"\r" in chunk
            if cr_only:  # b'\r' is no byte of a UTF-8 or GB18030 character, only ever a CR
                chunk = chunk.replace(b"\r", b"\n")
            data = rest + chunk if rest else chunk
            if not data:
                return
            cut = data.rfind(b"\n") + 1 if chunk else len(data)
            if cut == 0:  # no line end yet: a long line, read on
                rest = data
                continue
            block, rest = data[:cut], data[cut:]
            yield self._utf8(block)
            if not chunk:
                return

    def _utf8(self, block: bytes) -> bytes:
        """The block as UTF-8, each line holding undecodable bytes replaced. Decoding resumes after
        each bad line instead of line by line (a 4 MiB block of ~10,000 lines with one bad line cost
        10,000 decode calls, ~10% of reading a simulated WeCom snapshot)."""
        if self.codec == "utf-8" and _valid_utf8(block):
            return block
        out, pos = [], 0
        while pos < len(block):
            part = block[pos:] if pos else block
            try:
                text = part.decode(self.codec)
                out.append(part if self.codec == "utf-8" else text.encode("utf-8"))
                break
            except UnicodeDecodeError as e:
                start, end = _line_around(block, pos + e.start)
                if start > pos:  # what precedes the error decodes: b'\n' and b'\r' end characters
                    head = block[pos:start]
                    out.append(head if self.codec == "utf-8" else head.decode(self.codec).encode("utf-8"))
                self.bad += 1
                out.append(_UNDECODABLE_LINE)
                pos = end
        return out[0] if len(out) == 1 else b"".join(out)


def _valid_utf8(block: bytes) -> bool:
    """Whether the bytes are UTF-8, checked by Arrow without making a Python str (5x faster than
    bytes.decode on Chinese text: ~8% of reading a 1M-customer WeCom snapshot went to decode)."""
    offsets = pa.py_buffer(np.array([0, len(block)], np.int64))
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(block)]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _line_around(block: bytes, i: int) -> tuple[int, int]:
    """Start and end (after its line break) of the line holding byte i, lines broken as
    bytes.splitlines breaks them: at \n, \r\n or a lone \r."""
    start = max(block.rfind(b"\n", 0, i), block.rfind(b"\r", 0, i)) + 1
    nl, cr = block.find(b"\n", i), block.find(b"\r", i)
    ends = [k for k in (nl, cr) if k >= 0]
    if not ends:
        return start, len(block)
    k = min(ends)
    return start, k + (2 if block[k : k + 2] == b"\r\n" else 1)


class BlockStream(io.RawIOBase):
    """A read()-able stream over Utf8Blocks, for pyarrow's CSV reader."""

    def __init__(self, blocks: Utf8Blocks):
        self._it, self._buf, self._pos = iter(blocks), memoryview(b""), 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while self._pos >= len(self._buf):
            block = next(self._it, None)
            if block is None:
                return 0
            self._buf, self._pos = memoryview(block), 0
        n = min(len(b), len(self._buf) - self._pos)
        b[:n] = self._buf[self._pos : self._pos + n]
        self._pos += n
        return n
