"""The first rows of an .xlsx sheet as the cell reader gives them (numbers as floats, text as
text, TRUE/FALSE as bools, an error value as empty, every row padded to the sheet's width),
from the raw cells the streaming pass kept: enough to find the header without parsing the
sheet. A cell whose value depends on what only the cell reader knows faithfully (a date or
time style, a date typed as ISO text, an odd value) gives None: the sheet is read whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from junheng_cli.io.cells import Cell, Merged, column_index
from junheng_cli.io.xlsx_extras import RawCell, SheetExtras
from junheng_cli.io.xlsx_parts import XlsxParts

_BOOLS = {"1": True, "0": False}
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_RANGE = re.compile(r"([A-Za-z]+)(\d+)(?::([A-Za-z]+)(\d+))?")


def head_rows(extras: SheetExtras, parts: XlsxParts, width: int) -> list[list[Cell]] | None:
    """The rows from A1 down to the last cell with a value among the first ``HEAD_ROWS``,
    each ``width`` cells long (at least as wide as its cells)."""
    if extras.head is None:
        return None
    cells = extras.head
    shared = _needed_strings(cells, parts)
    styles = _needed_styles(cells, parts)
    if shared is None or styles is None:
        return None
    values: list[tuple[int, int, Cell]] = []
    for cell in cells:
        if cell.text is None or (cell.kind in ("", "n") and not cell.text.strip()):
            continue  # no value (a formula never calculated): the cell reader leaves it out
        value = _value(cell, shared, styles)
        if value is None:
            return None
        values.append((cell.row, cell.col, value))
    height = 1 + max((r for r, _, _ in values), default=-1)
    width = max([width, *(c + 1 for _, c, _ in values)])
    rows: list[list[Cell]] = [[""] * width for _ in range(height)]
    for r, c, value in values:
        rows[r][c] = value
    return rows


def _needed_strings(cells: list[RawCell], parts: XlsxParts) -> Mapping[int, str] | None:
    indices = {int(c.text) for c in cells if c.kind == "s" and c.text and c.text.isdigit()}
    if not indices:
        return {}
    return parts.shared_strings(indices)


def _needed_styles(cells: list[RawCell], parts: XlsxParts) -> frozenset[int] | None:
    if not any(c.kind in ("", "n") and c.style is not None for c in cells):
        return frozenset()
    return parts.date_styles()


def _value(cell: RawCell, shared: Mapping[int, str], dates: frozenset[int]) -> Cell | None:
    text = cell.text or ""
    kind = cell.kind
    if kind in ("", "n"):
        if cell.style is not None and cell.style in dates:
            return None
        return float(text) if _NUMBER.fullmatch(text) else None
    if kind == "s":
        return shared[int(text)] if text.isdigit() else None
    if kind in ("str", "inlineStr"):
        return text
    if kind == "b":
        return _BOOLS.get(text.strip())
    if kind == "e":
        return ""
    return None  # t="d" (a date as ISO text) and anything else


def merged_ranges(refs: list[str]) -> list[Merged]:
    """Merged ranges from their references (A1:C2), as the cell reader lists them."""
    found: list[Merged] = []
    for ref in refs:
        match = _RANGE.fullmatch(ref.strip())
        if match is None:
            continue
        first = (int(match.group(2)) - 1, column_index(match.group(1).upper()))
        if match.group(3):
            last = (int(match.group(4)) - 1, column_index(match.group(3).upper()))
        else:
            last = first
        found.append((first, last))
    return found
