"""A large .xlsx sheet parsed by fastexcel in chunks of whole rows while its XML is still being
streamed: the streaming pass (how far cells reach, formulas, the first rows) and the parse
run at once on two cores, each chunk is inflated once (by the pass, not again by the
parser), and the parser never holds more than a chunk's cells.

A chunk goes to the parser only after the streaming pass has checked every cell in it and
everything before it (the cell reader allocates the rectangle of a chunk's cells: a far cell
must be seen first). The first rows (``HEAD_ROWS``) are a chunk of their own, parsed once
the header is known (the header's rows must not take part in guessing a column's type).

Each chunk is a small workbook in memory: the sheet's root element, the chunk's rows, and
the workbook's styles and shared strings, stored without compression.
"""

from __future__ import annotations

import ctypes
import math
import os
import re
import struct
import time
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from junheng_cli.io.spreadsheetml import package_parts
from junheng_cli.io.xlsx_extras import HEAD_ROWS

CHUNK_BYTES = 8 << 20  # sheet XML per chunk (its cells take about ten times that to parse)
MIN_SHEET_BYTES = 8 << 20  # smaller sheets are parsed whole
# Chunks are parsed on up to two cores (the parser releases the GIL; the streaming pass
# alone keeps one thread busy only part of the time): one parser thread left the streaming
# pass waiting for it more than half of a national read (3.4 s of 6.2 s).
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
CHUNK_PARSERS = max(1, min(2, _CORES or 1))
IN_FLIGHT = CHUNK_PARSERS + 1  # chunks handed to the parsers and not parsed yet, at most
TRIM_EVERY = 0.5  # seconds: the memory a chunk's parse freed is given back at most this often
_ROW = re.compile(rb'<row r="(\d+)"')
_ROW_END = b"</row>"
_ROOT = re.compile(rb"<worksheet\b[^>]*>")
_DATA = re.compile(rb"<sheetData\s*>")


@dataclass
class Parsed:
    """One chunk as fastexcel gives it: rows from ``first`` (0-based) on."""

    first: int
    infos: list[Any]  # fastexcel ColumnInfo per column
    batch: Any  # pyarrow RecordBatch (None once its columns are prepared)
    errors: Any  # fastexcel CellErrors (or None)
    mixed: frozenset[int] = frozenset()  # sheet columns (0-based) holding text and numbers
    rows: int = 0  # how many rows were parsed
    prepared: list[Any] | None = None  # arrow_sheet.Prepared per column, once made


class Chunks:
    """Fed the pieces of a sheet's XML (after the streaming pass has checked them). With
    ``whole`` (a workbook whose shared strings are large: every chunk would parse them
    again), the sheet is parsed whole from the file once the pass has checked all of it,
    while the next sheet is streamed."""

    def __init__(
        self,
        workbook_parts: dict[str, bytes],
        pool: ThreadPoolExecutor,
        whole: tuple[Opened, str] | None = None,
    ) -> None:
        self.parts = workbook_parts  # xl/styles.xml, xl/sharedStrings.xml as stored bytes
        self.pool = pool
        self.whole = whole  # (the workbook opened for all its sheets, the sheet's name)
        self.root: bytes | None = None
        self.head: bytes | None = None  # b"" once past the first HEAD_ROWS rows
        self.loads: list[tuple[int, Future[Parsed]]] = []  # (first row, its parse)
        self.broken = False  # cannot be cut into chunks: the sheet is parsed whole
        self._pending: list[bytes] = []
        self._size = 0
        self._first = 0  # 0-based first row of the pending chunk

    def feed(self, data: bytes, start: int, end: int) -> None:
        if self.broken:
            return
        if self.root is None:
            start = self._prologue(data, start, end)
            if self.root is None or start >= end:
                return
        if self.head is None:
            start = self._head(data, start, end)
            if self.head is None or start >= end:
                return
        if self.whole is not None:
            return  # parsed whole at the end
        cut = data.rfind(_ROW_END, start, end)
        if cut == -1 or self._size + (end - start) < CHUNK_BYTES:
            self._keep(data, start, end)
            return
        cut += len(_ROW_END)
        self._keep(data, start, cut)
        self._submit()
        if cut < end:
            self._keep(data, cut, end)

    def finish(self) -> None:
        """The rows after the last chunk: the closing tags and what follows are dropped."""
        if self.broken or self.head is None:
            return
        if self.whole is not None:
            reader, sheet = self.whole
            self.loads.append(
                (self._first, self.pool.submit(parse_sheet, reader, sheet, self._first))
            )
            return
        tail = b"".join(self._pending)
        last = tail.rfind(_ROW_END)
        self._pending, self._size = ([tail[: last + len(_ROW_END)]], last) if last >= 0 else ([], 0)
        if self._size > 0:
            self._submit()

    def stop(self) -> None:
        """A far cell, TRUE/FALSE or another reason the chunks will not be used."""
        self.broken = True
        self._pending = []
        for _, load in self.loads:
            load.cancel()

    def workbook(self, rows: list[bytes]) -> bytes:
        """A workbook of one sheet holding ``rows`` (pieces of whole <row> elements)."""
        assert self.root is not None
        sheet = [self.root + b"<sheetData>", *rows, b"</sheetData></worksheet>"]
        return _package(sheet, self.parts)

    def _parse_rows(self, rows: list[bytes], first: int) -> Parsed:
        return parse(self.workbook(rows), first, None)

    def _prologue(self, data: bytes, start: int, end: int) -> int:
        root = _ROOT.search(data, start, end)
        opened = _DATA.search(data, start, end)
        if root is None or opened is None:
            self.broken = True  # a namespace prefix, or a sheet too unusual to cut
            return end
        self.root = root.group(0)
        return opened.end()

    def _head(self, data: bytes, start: int, end: int) -> int:
        """The rows numbered up to HEAD_ROWS; the rest of the piece goes on."""
        for match in _ROW.finditer(data, start, end):
            if int(match.group(1)) > HEAD_ROWS:
                self.head = b""  # the first rows are taken from the streaming pass's head
                self._pending, self._size = [], 0
                self._first = int(match.group(1)) - 1
                return match.start()
        self._keep(data, start, end)
        return end

    def _keep(self, data: bytes, start: int, end: int) -> None:
        if end > start:
            self._pending.append(data[start:end])
            self._size += end - start

    def _submit(self) -> None:
        waiting = [load for _, load in self.loads if not load.done()]
        if len(waiting) >= IN_FLIGHT:  # the parser is behind: hold no more XML than this
            waiting[0].exception()
        rows, self._pending, self._size = self._pending, [], 0
        following = _next_first_row(rows)
        first = self._first
        # an empty text at the chunk's first row: the parsed rows begin there (fastexcel
        # counts from the first row holding something, or else from row 1)
        start = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t></t></is></c></row>' % (
            first + 1,
            first + 1,
        )
        # the workbook is built by the parser's thread: its CRC runs without the GIL, beside
        # the streaming pass
        load = self.pool.submit(self._parse_rows, [start, *rows], first)
        self.loads.append((first, load))
        self._first = following


def _next_first_row(rows: list[bytes]) -> int:
    """The row after the last row of ``rows`` (0-based): where the next chunk begins. A row
    tag cut between two pieces is read whole."""
    for k in range(len(rows) - 1, -1, -1):
        at = rows[k].rfind(b"<row ")
        if at >= 0:
            tail = rows[k][at:] + b"".join(rows[k + 1 : k + 3])[:64]
            match = _ROW.match(tail)
            return int(match.group(1)) if match else 0
    return 0


class Opened:
    """A workbook opened by fastexcel once for all its sheets (in the parser thread)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.reader: Any = None


def parse_sheet(opened: Opened, sheet: str, first: int) -> Parsed:
    """A sheet of a workbook opened once for all its sheets, from row ``first`` (0-based)."""
    import fastexcel

    if opened.reader is None:
        opened.reader = fastexcel.read_excel(opened.path)
    parsed = prepared(load_typed(opened.reader, sheet, first, first))
    release_memory(TRIM_EVERY)
    return parsed


def parse(workbook: bytes, first: int, skip: int | None) -> Parsed:
    """The rows of the workbook's one sheet, from row ``skip`` (0-based), or (None) from its
    first row holding something, which is row ``first``; each column's type guessed from all
    of them."""
    import fastexcel

    parsed = prepared(load_typed(fastexcel.read_excel(workbook), 0, first, skip))
    release_memory(TRIM_EVERY)
    return parsed


def prepared(parsed: Parsed) -> Parsed:
    """The parse with its columns made NumPy arrays here, in the parser's thread, beside the
    streaming pass (most of the work releases the interpreter lock); the Arrow batch is let
    go."""
    from junheng_cli.io.arrow_sheet import prepare

    parsed.prepared = prepare(parsed)
    parsed.batch = parsed.errors = None
    return parsed


_UNNAMED = re.compile(r"__UNNAMED__\d+")


def load_typed(reader: Any, sheet: str | int, first: int, skip: int | None) -> Parsed:
    """A sheet's rows from ``skip`` with each column's type guessed from all of them, and the
    columns that hold more than one kind of value (text and numbers, numbers and dates) named.

    A number in a column of text is written out by fastexcel rounded to nine decimals
    (3.0000000001 as "3", 1e-20 as "0"): from its text alone it cannot be told from a code
    typed as text. So the guess is strict, and a column it cannot type is read again as text
    and named in ``mixed``; the caller decides whether it may use it."""
    import fastexcel

    forced: dict[str, str] = {}
    while True:
        try:
            loaded = reader.load_sheet(
                sheet,
                header_row=None,
                skip_rows=skip,
                schema_sample_rows=None,
                dtype_coercion="strict",
                dtypes=forced or None,
            )
            break
        except fastexcel.UnsupportedColumnTypeCombinationError as exc:
            column = _UNNAMED.search(str(exc))
            if column is None or column.group(0) in forced:
                raise
            forced[column.group(0)] = "string"
    infos = loaded.selected_columns
    batch, errors = loaded.to_arrow_with_errors()
    del loaded
    mixed = frozenset(info.absolute_index for info in infos if info.name in forced)
    return Parsed(first, infos, batch, errors, mixed, batch.num_rows)


def release_memory(every: float = 0.0) -> None:
    """Give the memory a parse freed back to the system: the C allocator keeps freed memory
    of a thread's arena for reuse, which would add each chunk's cells to the peak. With
    ``every``, not again within that many seconds of the last time: each trim makes the next
    parse fault its pages in again (trimming after every chunk of the national file cost
    about 0.5 s of system time; every half second kept the peak at 0.53–0.58 GB)."""
    global _TRIM, _TRIMMED
    if _TRIM is None:
        try:
            _TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _TRIM = False
    now = time.monotonic()
    if _TRIM and now - _TRIMMED >= every:
        _TRIMMED = now
        _TRIM(0)


_TRIMMED = -math.inf  # when the memory was last trimmed (time.monotonic)
_TRIM: Any = None


def _package(sheet: list[bytes], parts: dict[str, bytes]) -> bytes:
    shared = "xl/sharedStrings.xml"
    around = package_parts(["S"], parts.get("xl/styles.xml"), shared_strings=shared in parts)
    members = [(name, [p.encode() if isinstance(p, str) else p]) for name, p in around.items()]
    if shared in parts:
        members.append((shared, [parts[shared]]))
    return stored_zip([*members, ("xl/worksheets/sheet1.xml", sheet)])


_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_DOS_DATE = (1 << 5) | 1  # 1980-01-01


def stored_zip(members: list[tuple[str, list[bytes]]]) -> bytes:
    """A zip archive of ``members`` (name, its content in pieces), stored uncompressed: the
    pieces are copied once, into the archive, and never joined before (a chunk of a national
    sheet is megabytes; ``zipfile`` would copy it three times more)."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, pieces in members:
        encoded = name.encode()
        crc, size = 0, 0
        for piece in pieces:
            crc = zlib.crc32(piece, crc)
            size += len(piece)
        if size >= 1 << 32 or offset >= 1 << 32:
            raise ValueError("a chunk too large for a zip without ZIP64")
        fields = (20, 0, 0, 0, _DOS_DATE, crc, size, size, len(encoded))
        out += [_LOCAL.pack(0x04034B50, *fields, 0), encoded, *pieces]
        central += [_CENTRAL.pack(0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset), encoded]
        offset += _LOCAL.size + len(encoded) + size
    directory = b"".join(central)
    count = len(members)
    out += [directory, _END.pack(0x06054B50, 0, 0, count, count, len(directory), offset, 0)]
    return b"".join(out)
