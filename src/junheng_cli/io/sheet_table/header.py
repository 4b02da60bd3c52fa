"""Finding a sheet's header: title rows above it, two- or three-row headers with merged group
cells, each header mapped onto a canonical column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from junheng_cli.io.cells import Sheet, column_letter
from junheng_cli.io.headers import HeaderLookup
from junheng_cli.io.sheet_table.tables import HeaderBlock, SourceColumn

HEADER_SCAN_ROWS = 30
MAX_HEADER_DEPTH = 3
MIN_HEADER_MATCHES = 2


def is_empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(value: object) -> str:
    return "" if is_empty(value) else str(value).strip()


class _HeaderCells:
    """The text of the cells a header can be in (the first rows), each cell's text made
    once for all the header blocks tried; a cell covered by a merged range reads as the
    range's top-left value."""

    def __init__(self, sheet: Sheet, limit: int) -> None:
        self.sheet = sheet
        self.rows: dict[int, list[str]] = {}  # a row's texts, made when first needed
        self.filled: dict[tuple[int, int], str] = {}
        for (r0, c0), (r1, c1) in sheet.merged:
            if r0 >= limit or r0 >= len(sheet.rows) or c0 >= len(sheet.rows[r0]):
                continue
            value = self.own(r0, c0)
            for r in range(r0, min(r1, limit - 1) + 1):
                for c in range(c0, c1 + 1):
                    self.filled[(r, c)] = value

    def own(self, r: int, c: int) -> str:
        """The cell's own text (a merged range begun elsewhere does not count)."""
        row = self.rows.get(r)
        if row is None:
            cells = self.sheet.rows[r] if r < len(self.sheet.rows) else ()
            row = self.rows[r] = [_text(v) for v in cells]
        return row[c] if c < len(row) else ""

    def text(self, r: int, c: int) -> str:
        """The cell's text, or the value of a merged range that covers it."""
        value = self.filled.get((r, c))
        return self.own(r, c) if value is None else value

    def merged(self, r: int, c: int) -> bool:
        return (r, c) in self.filled


def _candidates(parts: list[str]) -> list[str]:
    """Names to try for a column whose header cells, top to bottom, are ``parts``."""
    kept: list[str] = []
    for part in parts:
        if part and (not kept or kept[-1] != part):
            kept.append(part)
    names = ["".join(kept[i:]) for i in range(len(kept))]
    return [n for n in names if n]


def _block_headers(cells: _HeaderCells, block: HeaderBlock, width: int) -> list[list[str]]:
    """Candidate names per column; group cells without merge info are carried rightwards."""
    carried = [""] * block.depth
    columns = []
    for c in range(width):
        parts = []
        own = []
        for k in range(block.depth):
            r = block.first + k
            text = cells.text(r, c)
            own.append(text)
            if k < block.depth - 1:
                if text:
                    carried[k] = text
                elif not cells.merged(r, c):
                    text = carried[k]
            parts.append(text)
        columns.append(_candidates(own) + [n for n in _candidates(parts) if n not in own])
    return columns


@dataclass(frozen=True)
class HeaderMap:
    """What the columns of a header block map to."""

    sources: dict[str, SourceColumn]  # canonical column name → the first sheet column
    ignored: list[tuple[str, str]]  # (letter, header) mapped to nothing
    duplicates: list[tuple[str, SourceColumn]]  # a column mapped again: (name, column)


def _map_block(
    cells: _HeaderCells, block: HeaderBlock, lookup: HeaderLookup, width: int
) -> HeaderMap:
    sources: dict[str, SourceColumn] = {}
    ignored: list[tuple[str, str]] = []
    duplicates: list[tuple[str, SourceColumn]] = []
    for c, names in enumerate(_block_headers(cells, block, width)):
        if not names:
            continue
        match = next((m for m in map(lookup.match, names) if m is not None), None)
        if match is None:
            ignored.append((column_letter(c), names[0]))
            continue
        header = next(n for n in names if lookup.match(n) == match)
        name = match.column.name
        if name not in sources:
            sources[name] = SourceColumn(match, c, header)
        elif _has_own_header(cells, block, c):
            duplicates.append((name, SourceColumn(match, c, header)))
        else:  # a merged or carried header cell spilling over: one header, not two
            ignored.append((column_letter(c), names[0]))
    return HeaderMap(sources, ignored, duplicates)


def _has_own_header(cells: _HeaderCells, block: HeaderBlock, c: int) -> bool:
    """Whether column ``c`` has header text in a cell of its own (not only a merged range
    begun to its left, nor a group cell carried rightwards)."""
    return any(cells.own(block.first + k, c) for k in range(block.depth))


def find_header(
    sheet: Sheet, lookup: HeaderLookup, forced: HeaderBlock | None = None
) -> tuple[HeaderBlock, HeaderMap] | None:
    """The header block that maps the most template columns; on a tie the shallower one
    (a title row above the header maps nothing of its own)."""
    width = max((len(r) for r in sheet.rows[: HEADER_SCAN_ROWS + MAX_HEADER_DEPTH]), default=0)
    limit = HEADER_SCAN_ROWS + MAX_HEADER_DEPTH
    if forced is not None:
        cells = _HeaderCells(sheet, max(limit, forced.first + forced.depth))
        return forced, _map_block(cells, forced, lookup, width)
    cells = _HeaderCells(sheet, limit)
    best = None
    best_key = (MIN_HEADER_MATCHES - 1, 0)
    for first in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        if not _could_start_header(sheet.rows[first]):
            continue
        for depth in range(1, MAX_HEADER_DEPTH + 1):
            if first + depth > len(sheet.rows):
                break
            block = HeaderBlock(first, depth)
            mapped = _map_block(cells, block, lookup, width)
            key = (len(mapped.sources), -depth)
            if key > best_key:
                best, best_key = (block, mapped), key
    return best


def _could_start_header(row: list[object]) -> bool:
    """A header row has text in it; a row of mostly numbers is data."""
    filled = [c for c in row if not is_empty(c)]
    numbers = sum(1 for c in filled if isinstance(c, int | float))
    return bool(filled) and numbers * 2 <= len(filled)


IDENTITY_COLUMNS = ("name", "type")  # a sheet with both of these is a sheet of schools


def header_score(sheet: Sheet, lookup: HeaderLookup) -> tuple[int, HeaderBlock | None, bool]:
    """How many template columns the header maps, where it is, and whether it names schools."""
    found = find_header(sheet, lookup)
    if found is None:
        return 0, None, False
    block, mapped = found
    return len(mapped.sources), block, all(c in mapped.sources for c in IDENTITY_COLUMNS)


def parse_header_rows(text: str) -> HeaderBlock:
    """'3-4' → rows 3 to 4; '2' → row 2 (Excel numbering)."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:[-–~至到]\s*(\d+))?\s*", text)
    if not match:
        raise ValueError(f"表头行应写作 3 或 3-4，而不是 {text!r}")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first < 1 or last < first or last - first >= MAX_HEADER_DEPTH + 2:
        raise ValueError(f"表头行范围 {text!r} 不合理")
    return HeaderBlock(first - 1, last - first + 1)
