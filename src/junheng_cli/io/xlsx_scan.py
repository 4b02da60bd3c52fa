"""How far an .xlsx sheet's cells reach and whether it has formulas, from its XML, before the
cell reader allocates the sheet's rectangle.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from junheng_cli.io.cells import column_index, column_letter
from junheng_cli.io.limits import MAX_CELLS
from junheng_cli.io.xlsx_quick import marker_pattern, row_bound

MAX_TAG = 1 << 16  # a piece of sheet XML is cut before a '<' found in its last this many bytes


_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")


class SheetScan:
    """How far a sheet's cells reach, read from the cell references (``<c r="XFD50000">``)
    of its XML before the cell reader allocates the sheet's rectangle; and whether it has
    prefixed formulas (``<x:f>``: the unprefixed ones and error values are ``SheetExtras``').

    Each piece of XML is checked at C speed for a cell beyond the columns seen so far, or in
    a row beyond what those columns leave under MAX_CELLS; the bounds then rest on what was
    checked. Only the first piece and a piece with such a cell are read cell by cell (exact
    bounds). A cell whose position is not its leading ``r`` attribute (none, another
    order, another namespace prefix) makes the sheet *irregular*: its cells are then read
    one by one, never handed to the fast reader."""

    def __init__(self, exact: bool = False) -> None:
        self.exact_only = exact
        self.formulas = False
        self.irregular = False
        self.prefix: bytes | None = None  # the worksheet's namespace prefix, once seen
        self.rows = self.columns = 0  # last row and column of the cells read one by one
        self.row_cap = self.column_cap = 0  # what the quick check leaves possible

    @property
    def exact(self) -> bool:
        return self.row_cap <= self.rows and self.column_cap <= self.columns

    @property
    def cells(self) -> int:
        return max(self.rows, self.row_cap) * max(self.columns, self.column_cap)

    @property
    def fits(self) -> bool:
        return not self.irregular and self.cells <= MAX_CELLS

    def quick_pattern(self) -> str | None:
        """The quick check (``xlsx_quick``) a piece can be given instead of the expressions
        below, once the first cells are counted; None for a sheet with a namespace prefix,
        one read cell by cell, or exact counting."""
        if self.exact_only or self.irregular or self.prefix != b"" or self.columns == 0:
            return None
        return marker_pattern(self.columns, MAX_CELLS)

    def feed(self, data: bytes, start: int, end: int, quiet: bool = False) -> None:
        """``quiet``: the piece passed ``quick_pattern``'s check, nothing in it to look at."""
        if quiet:
            self._inside(row_bound(self.columns, MAX_CELLS)[2])
            return
        if self.prefix is None:
            root = _ROOT.search(data, start, end)
            if root is not None:
                self.prefix = root.group(1) or b""
        patterns = _cell_patterns(self.prefix or b"")
        self._colons(patterns, data, start, end)
        if self.exact_only:
            self._count(patterns, data, start, end)
            return
        while self.columns == 0 and start < end and not self.irregular:
            # no column seen yet: the next few cells are counted one by one
            cut = data.find(b"<", min(start + MAX_TAG, end), end)
            cut = end if cut == -1 else cut
            self._count(patterns, data, start, cut)
            start = cut
        if start >= end or self.irregular:
            return
        beyond, row_cap = _beyond(self.prefix or b"", self.columns, MAX_CELLS)
        if beyond.search(data, start, end):
            self._count(patterns, data, start, end)
        else:
            self._inside(row_cap)

    def _inside(self, row_cap: int) -> None:
        """Every cell of the piece is within the columns seen and the rows ``row_cap``."""
        self.row_cap = max(self.row_cap, row_cap)
        self.column_cap = max(self.column_cap, self.columns)

    def _colons(self, patterns: _CellPatterns, data: bytes, start: int, end: int) -> None:
        """A prefixed formula (<x:f>), or a cell under a prefix not the worksheet's."""
        found = patterns.colon.search(data, start, end)
        if found is not None and found.group(1) is None:  # a formula: cells may follow
            self.formulas = True
            found = patterns.foreign.search(data, found.end(), end)
        if found is not None:
            self.irregular = True

    def _count(self, patterns: _CellPatterns, data: bytes, start: int, end: int) -> None:
        """Every cell of the piece, by its reference."""
        if self.irregular or patterns.irregular.search(data, start, end):
            self.irregular = True
            return
        letters = set(patterns.columns.findall(data, start, end))
        if letters:
            last = max(column_index(c.decode().upper()) + 1 for c in letters)
            self.columns = max(self.columns, last)
        digits = set(patterns.rows.findall(data, start, end))
        if digits:
            self.rows = max(self.rows, *map(int, digits))


@dataclass(frozen=True)
class _CellPatterns:
    colon: re.Pattern[bytes]  # a foreign cell (group 1) or a prefixed formula element
    foreign: re.Pattern[bytes]  # a cell element under a prefix not the worksheet's
    irregular: re.Pattern[bytes]  # a cell element without a leading r attribute
    columns: re.Pattern[bytes]  # the column letters of each cell
    rows: re.Pattern[bytes]  # the row number of each cell


def _cell_tag(prefix: bytes) -> bytes:
    return rb"<(?:" + re.escape(prefix) + rb":)?c" if prefix else rb"<c"


@functools.lru_cache(maxsize=16)
def _cell_patterns(prefix: bytes) -> _CellPatterns:
    tag = _cell_tag(prefix)
    # the worksheet's own cells, opening or closing, are not foreign
    own = b"(?<!<%s:c.)(?<!/%s:c.)" % (re.escape(prefix), re.escape(prefix)) if prefix else b""
    return _CellPatterns(
        colon=re.compile(rb":(?:(c)[\s/>]" + own + rb"|f)"),
        foreign=re.compile(rb":c[\s/>]" + own),
        irregular=re.compile(tag + rb'(?! r=")[\s/>]'),
        columns=re.compile(tag + rb' r="([A-Za-z]+)'),
        rows=re.compile(tag + rb' r="[A-Za-z]+(\d+)'),
    )


@functools.lru_cache(maxsize=64)
def _beyond(prefix: bytes, columns: int, limit: int) -> tuple[re.Pattern[bytes], int]:
    """A cell that is not plainly inside: without a leading r attribute, past ``columns``,
    or in a row that ``limit`` may not leave for that many columns; and the last row a cell
    not matched can be in. Rows are compared by their digit count and first digit only (a
    cell up to twice as far as needed is matched, and its piece then counted exactly). One
    negative look-ahead per cell, the commonest shapes tried first: the cheapest test the
    regex engine offers (about 60 ns a cell)."""
    first, digits, row_cap = row_bound(columns, limit)
    rows = [b'\\d{1,%d}+"' % (digits - 1)] if digits > 1 else []
    if first > 1:
        rows.append(b'[0-%d]\\d{%d}"' % (first - 1, digits - 1))
    inside = rb' r="(?:' + _columns_up_to(columns) + rb")(?:" + (b"|".join(rows) or b"(?!)") + b")"
    pattern = _cell_tag(prefix) + rb"(?!" + inside + rb")[\s/>]"
    return re.compile(pattern), row_cap


def _columns_up_to(columns: int) -> bytes:
    """Column letters (either case) of the first ``columns`` columns, the shortest first."""
    letters = column_letter(columns - 1).encode()
    same = [b"[%c%c]" % (c, c + 32) for c in letters]
    below = [
        b"".join(same[:i]) + b"[A-%ca-%c]" % (c - 1, c + 31) + b"[A-Za-z]" * (len(letters) - i - 1)
        for i, c in enumerate(letters)
        if c != ord("A")
    ]
    shorter = [b"[A-Za-z]{1,%d}" % (len(letters) - 1)] if len(letters) > 1 else []
    return b"|".join([*shorter, *below, b"".join(same)])
