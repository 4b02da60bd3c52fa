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


def _merged_fill(sheet: Sheet, limit: int) -> dict[tuple[int, int], object]:
    """Value of every cell covered by a merged range (the range's top-left value)."""
    filled: dict[tuple[int, int], object] = {}
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 >= limit or r0 >= len(sheet.rows) or c0 >= len(sheet.rows[r0]):
            continue
        value = sheet.rows[r0][c0]
        for r in range(r0, min(r1, limit - 1) + 1):
            for c in range(c0, c1 + 1):
                filled[(r, c)] = value
    return filled


def _cell(sheet: Sheet, filled: dict[tuple[int, int], object], r: int, c: int) -> str:
    if (r, c) in filled:
        value = filled[(r, c)]
    elif r < len(sheet.rows) and c < len(sheet.rows[r]):
        value = sheet.rows[r][c]
    else:
        value = None
    return "" if is_empty(value) else str(value).strip()


def _candidates(parts: list[str]) -> list[str]:
    """Names to try for a column whose header cells, top to bottom, are ``parts``."""
    kept: list[str] = []
    for part in parts:
        if part and (not kept or kept[-1] != part):
            kept.append(part)
    names = ["".join(kept[i:]) for i in range(len(kept))]
    return [n for n in names if n]


def _block_headers(
    sheet: Sheet, block: HeaderBlock, filled: dict[tuple[int, int], object], width: int
) -> list[list[str]]:
    """Candidate names per column; group cells without merge info are carried rightwards."""
    carried = [""] * block.depth
    columns = []
    for c in range(width):
        parts = []
        for k in range(block.depth):
            text = _cell(sheet, filled, block.first + k, c)
            if k < block.depth - 1:
                if text:
                    carried[k] = text
                elif (block.first + k, c) not in filled:
                    text = carried[k]
            parts.append(text)
        own = [_cell(sheet, filled, block.first + k, c) for k in range(block.depth)]
        columns.append(_candidates(own) + [n for n in _candidates(parts) if n not in own])
    return columns


@dataclass(frozen=True)
class HeaderMap:
    """What the columns of a header block map to."""

    sources: dict[str, SourceColumn]  # canonical column name → the first sheet column
    ignored: list[tuple[str, str]]  # (letter, header) mapped to nothing
    duplicates: list[tuple[str, SourceColumn]]  # a column mapped again: (name, column)


def _map_block(sheet: Sheet, block: HeaderBlock, lookup: HeaderLookup, width: int) -> HeaderMap:
    filled = _merged_fill(sheet, block.first + block.depth)
    sources: dict[str, SourceColumn] = {}
    ignored: list[tuple[str, str]] = []
    duplicates: list[tuple[str, SourceColumn]] = []
    for c, names in enumerate(_block_headers(sheet, block, filled, width)):
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
        elif _has_own_header(sheet, block, c):
            duplicates.append((name, SourceColumn(match, c, header)))
        else:  # a merged or carried header cell spilling over: one header, not two
            ignored.append((column_letter(c), names[0]))
    return HeaderMap(sources, ignored, duplicates)


def _has_own_header(sheet: Sheet, block: HeaderBlock, c: int) -> bool:
    """Whether column ``c`` has header text in a cell of its own (not only a merged range
    begun to its left, nor a group cell carried rightwards)."""
    return any(_cell(sheet, {}, block.first + k, c) for k in range(block.depth))


def find_header(
    sheet: Sheet, lookup: HeaderLookup, forced: HeaderBlock | None = None
) -> tuple[HeaderBlock, HeaderMap] | None:
    """The header block that maps the most template columns; on a tie the shallower one
    (a title row above the header maps nothing of its own)."""
    width = max((len(r) for r in sheet.rows[: HEADER_SCAN_ROWS + MAX_HEADER_DEPTH]), default=0)
    if forced is not None:
        return forced, _map_block(sheet, forced, lookup, width)
    best = None
    best_key = (MIN_HEADER_MATCHES - 1, 0)
    for first in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        if not _could_start_header(sheet.rows[first]):
            continue
        for depth in range(1, MAX_HEADER_DEPTH + 1):
            if first + depth > len(sheet.rows):
                break
            block = HeaderBlock(first, depth)
            mapped = _map_block(sheet, block, lookup, width)
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
