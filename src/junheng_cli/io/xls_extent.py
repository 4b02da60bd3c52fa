"""How far the cells of each sheet of a legacy .xls workbook reach, read from its BIFF
records before the cell reader allocates a sheet's rectangle.

An .xls is an OLE2 compound file holding a ``Workbook`` stream of BIFF records; every cell
record starts with its row and column (16 bits each). Excel writes at most 65,536 rows and
256 columns, but nothing stops a file from naming column 16,000: the cell reader would then
allocate 65,536 × 16,000 cells at once and abort the process. One pass over the records,
no cell values decoded.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END_OF_CHAIN = 0xFFFFFFFE
FREE_SECTOR = 0xFFFFFFFF
BOF, EOF, BOUNDSHEET = 0x0809, 0x000A, 0x0085
MULTI_CELL = (0x00BD, 0x00BE)  # MULRK, MULBLANK: several cells, the last column at the end
CELL_RECORDS = frozenset(
    {0x0006, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6, *MULTI_CELL}
)


@dataclass(frozen=True)
class Extent:
    """The rectangle from A1 to a sheet's farthest cell record, and one cell that makes it
    that wide and one that makes it that tall (0-based row, column)."""

    sheet: str
    rows: int
    columns: int
    right: tuple[int, int]
    down: tuple[int, int]

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def sheet_extents(path: Path) -> list[Extent] | None:
    """Per sheet, in the workbook's order, how far its cells reach; None when the file is
    not a compound file whose workbook stream this can find (the cell reader then says
    what is wrong with it)."""
    try:
        stream = _workbook_stream(path.read_bytes())
    except (struct.error, IndexError, ValueError, OverflowError, MemoryError):
        return None
    return None if stream is None else _extents(stream)


def _workbook_stream(data: bytes) -> bytes | None:
    if data[:8] != OLE_MAGIC:
        return None
    sector_size = 1 << struct.unpack_from("<H", data, 30)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 32)[0]
    if sector_size not in (512, 4096) or mini_size != 64:
        return None
    fat_sectors, first_directory = struct.unpack_from("<II", data, 44)
    mini_cutoff, first_mini_fat, _, first_difat, difat_sectors = struct.unpack_from(
        "<IIIII", data, 56
    )
    limit = len(data) // sector_size + 1  # no chain is longer than the file

    def sector(n: int) -> bytes:
        start = (n + 1) * sector_size
        return data[start : start + sector_size]

    difat = list(struct.unpack_from("<109I", data, 76))
    n, per_sector = first_difat, sector_size // 4 - 1
    for _ in range(min(difat_sectors, limit)):
        if n >= END_OF_CHAIN:
            break
        values = struct.unpack(f"<{per_sector + 1}I", sector(n))
        difat += values[:per_sector]
        n = values[-1]
    fat_bytes = b"".join(sector(s) for s in difat[:fat_sectors] if s < END_OF_CHAIN)
    fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes[: len(fat_bytes) // 4 * 4])

    def stream(start: int, table: tuple[int, ...], size: int | None = None) -> bytes:
        whole = b"".join(sector(n) for n in _follow(start, table, limit))
        return whole if size is None else whole[:size]

    entries = _entries(stream(first_directory, fat))
    found = next((e for e in entries if _entry_name(e).lower() in ("workbook", "book")), None)
    if found is None:
        return None
    start, size = struct.unpack_from("<II", found, 116)
    if size >= mini_cutoff:
        return stream(start, fat, size)
    root_start, root_size = struct.unpack_from("<II", entries[0], 116)
    mini_stream = stream(root_start, fat, root_size)
    mini_fat_bytes = stream(first_mini_fat, fat)
    mini_fat = struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes)
    chain = _follow(start, mini_fat, len(mini_fat) + 1)
    return b"".join(mini_stream[n * mini_size : (n + 1) * mini_size] for n in chain)[:size]


def _follow(start: int, table: tuple[int, ...], limit: int) -> list[int]:
    """The sectors of a chain; a chain that loops or leaves the table ends there."""
    chain, n = [], start
    while n < len(table) and len(chain) < limit:
        chain.append(n)
        n = table[n]
    return chain


def _entries(directory: bytes) -> list[bytes]:
    return [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]


def _entry_name(entry: bytes) -> str:
    length = min(struct.unpack_from("<H", entry, 64)[0], 64)
    return entry[: max(length - 2, 0)].decode("utf-16-le", errors="replace")


def _extents(stream: bytes) -> list[Extent]:
    """One pass over the records: the sheets' BOF offsets (BOUNDSHEET, in the globals) and,
    per substream, the farthest row and column of any cell record."""
    order: list[tuple[int, str]] = []  # each sheet's BOF offset and name, in order
    far: dict[int, list[tuple[int, int]]] = {}  # BOF offset → [rightmost cell, lowest cell]
    current = -1
    pos, end = 0, len(stream) - 4
    while pos <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        if kind == BOF:
            current = pos
        elif kind == BOUNDSHEET and length >= 8:
            offset = struct.unpack_from("<I", stream, body)[0]
            order.append((offset, _sheet_name(stream[body + 6 : body + length])))
        elif kind in CELL_RECORDS and length >= 4 and current >= 0:
            row, column = struct.unpack_from("<HH", stream, body)
            if kind in MULTI_CELL and length >= 6:
                column = max(column, struct.unpack_from("<H", stream, body + length - 2)[0])
            cells = far.setdefault(current, [(row, column), (row, column)])
            if column > cells[0][1]:
                cells[0] = (row, column)
            if row > cells[1][0]:
                cells[1] = (row, column)
        pos = body + length
    extents = []
    for offset, name in order:
        right, down = far.get(offset, [(0, 0), (0, 0)])
        extents.append(Extent(name, down[0] + 1, right[1] + 1, right, down))
    return extents


def _sheet_name(raw: bytes) -> str:
    """A BOUNDSHEET name: a character count, then (BIFF8) a flag byte, 1 for UTF-16, 0 for
    one byte a character; BIFF5 has no flag byte and the workbook's code page (GBK here)."""
    count = raw[0] if raw else 0
    if len(raw) >= 2 and raw[1] == 1:
        return raw[2 : 2 + 2 * count].decode("utf-16-le", errors="replace")
    if len(raw) >= 2 and raw[1] == 0:
        return raw[2 : 2 + count].decode("latin-1")
    return raw[1 : 1 + count].decode("gbk", errors="replace")
