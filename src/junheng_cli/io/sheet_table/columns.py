"""An .xlsx school sheet read as typed columns: the header found in the first rows (from the
streaming pass over the sheet's XML), the rest loaded as Arrow columns, and every data row
sorted into a school, blank, total (合计) or note row by column-wise kernels: emptiness and
the 合计/注 labels are looked for in the columns that hold text, with Arrow's string
functions; figure columns stay float64.

``arrow_sheet_table`` gives the same ``SheetTable`` as ``build_sheet_table`` on the rows the
cell reader gives, or None when the sheet must go through the cell reader (see
``io.arrow_sheet``: a sheet whose figure columns hold text, TRUE/FALSE or dates, a far cell,
a header that only the cell reader can read faithfully).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from junheng_cli.io.arrow_sheet import (
    WHITESPACE,
    Columns,
    Mixed,
    Use,
    columns_of,
    load_columns,
    quiet,
    rows_piece,
)
from junheng_cli.io.cells import Sheet
from junheng_cli.io.headers import HeaderLookup
from junheng_cli.io.limits import check_height
from junheng_cli.io.read import Workbook
from junheng_cli.io.sheet_table.header import HeaderMap, find_header
from junheng_cli.io.sheet_table.rows import NOTE_ROW, Origin, Sorted, group_index, sorted_table
from junheng_cli.io.sheet_table.tables import GROUP, ROW, TOTAL_ROW, HeaderBlock, SheetTable
from junheng_cli.io.xlsx_chunks import Parsed, release_memory
from junheng_cli.io.xlsx_extras import head_width

_NOTE = f"^{WHITESPACE}*" + NOTE_ROW.pattern.removeprefix("^")
_TOTAL = TOTAL_ROW.pattern


def arrow_sheet_table(
    workbook: Workbook,
    name: str,
    lookup: HeaderLookup,
    forced: HeaderBlock | None = None,
    group_by: str | None = None,
) -> SheetTable | None:
    xml = workbook.sheet_xml(name)
    if xml is None or not xml.scan.fits or xml.extras.bools:
        return None
    head = workbook.head(name)
    found = None if head is None else find_header(head, lookup, forced)
    if found is None or not found[1].sources:
        return None  # the cell reader's rows say why
    block, mapped = found
    uses = _uses(mapped, lookup, group_by, workbook.file, name)
    try:
        columns = _columns(workbook, name, block.first + block.depth, uses)
    except Mixed:
        return None
    except Exception:  # the cell reader reads it, or says in Chinese why not
        return None
    check_height(columns.start + columns.rows, workbook.file, name)
    exact = workbook.head(name, columns.width)  # rows as wide as the sheet's cells reach
    again = None if exact is None else find_header(exact, lookup, block)
    if again is None or _uses(again[1], lookup, group_by, workbook.file, name) != uses:
        return None
    table = _table(workbook.file, name, block, again[1], columns, (lookup, group_by), exact)
    del columns
    release_memory()  # the parse's freed memory back to the system before what follows
    return table


def _columns(workbook: Workbook, name: str, start: int, uses: dict[int, Use]) -> Columns:
    """The data rows as columns: from the chunks parsed during the streaming pass, or the
    sheet parsed whole."""
    xml = workbook.sheet_xml(name)
    chunks = None if xml is None else xml.chunks
    if chunks is None or chunks.broken or chunks.head is None or not chunks.loads:
        return load_columns(workbook.path, name, start, uses)
    head = workbook.head(name)
    if head is None:
        return load_columns(workbook.path, name, start, uses)
    quiet()
    width = head_width(xml.extras)
    first = rows_piece(head.rows, start, chunks.loads[0][0], width, uses)
    parts: list[Parsed | Columns] = [first, *(load.result() for _, load in chunks.loads)]
    chunks.loads = []  # each chunk's Arrow columns are released once taken
    return columns_of(parts, uses)


def _uses(
    mapped: HeaderMap, lookup: HeaderLookup, group_by: str | None, file: str, sheet: str
) -> dict[int, Use]:
    uses: dict[int, Use] = {}
    for name, source in mapped.sources.items():
        if source.match.column.field.kind != "text":
            uses[source.index] = Use.FIGURE
        else:
            uses[source.index] = Use.NAME if name == "name" else Use.TEXT
    if group_by is not None:
        index = group_index(mapped.sources, mapped.ignored, group_by, lookup, file, sheet)
        uses[index] = Use.NAME if uses.get(index, Use.NAME) is not Use.FIGURE else Use.FIGURE
    return uses


def _table(
    file: str,
    sheet: str,
    block: HeaderBlock,
    mapped: HeaderMap,
    columns: Columns,
    grouping: tuple[HeaderLookup, str | None],
    head: Sheet,
) -> SheetTable:
    sources = mapped.sources
    start, rows = columns.start, columns.rows
    body = {name: _values(columns, source.index, rows) for name, source in sources.items()}
    body[ROW] = np.arange(start + 1, start + 1 + rows, dtype=np.int64)
    lookup, group_by = grouping
    if group_by is not None:
        index = group_index(sources, mapped.ignored, group_by, lookup, file, sheet)
        body[GROUP] = _group_text(columns, index, rows)
    total = _total_rows(columns)
    quantities = [s.index for s in sources.values() if s.match.column.field.kind != "text"]
    note = ~total & _note_rows(columns) & _all_empty(columns, quantities)
    blank = ~total & ~note & _all_empty(columns, [s.index for s in sources.values()])
    origin = Origin(file, sheet, head.uncached_formulas, head.error_cells)
    return sorted_table(origin, block, mapped, _side_by_side(body), Sorted(blank, total, note))


def _side_by_side(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """The columns as they are, each its own block: not copied into one block of floats
    (0.06 s for the national sheet), and text kept as Python objects (pandas would make an
    array of text a column of its own string type, which ``combine`` turns back)."""
    return pd.concat(
        {
            name: pd.Series(values, dtype=values.dtype, copy=False)
            for name, values in columns.items()
        },
        axis=1,
    )


def _values(columns: Columns, index: int, rows: int) -> np.ndarray:
    found = columns.values.get(index)
    return np.full(rows, np.nan) if found is None else found


def _group_text(columns: Columns, index: int, rows: int) -> np.ndarray:
    """As the cell reader's rows give it: the cell's text stripped, '' when empty (each
    distinct text stripped once, and held once)."""
    import pyarrow.compute as pc

    values = columns.values.get(index)
    if values is None:
        return np.full(rows, "", dtype=object)
    if values.dtype != object:
        return np.array(["" if np.isnan(v) else str(v).strip() for v in values], dtype=object)
    text = columns.text.get(index)
    texts = 0 if text is None else pc.sum(pc.fill_null(pc.not_equal(text, ""), False)).as_py()
    if text is None or texts != np.count_nonzero(values != None):  # noqa: E711 - numbers too
        return np.array(["" if _empty(v) else str(v).strip() for v in values], dtype=object)
    encoded = pc.dictionary_encode(text)  # text only: each distinct text once
    words = [w.strip() for w in encoded.dictionary.to_pylist()] + [""]
    codes = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False))
    return np.array(words, dtype=object)[codes]


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _all_empty(columns: Columns, indices: list[int]) -> np.ndarray:
    empty = np.ones(columns.rows, dtype=bool)
    for index in indices:
        filled = columns.filled.get(index)
        if filled is not None:
            empty &= ~filled
    return empty


def _total_rows(columns: Columns) -> np.ndarray:
    """Rows with a cell that reads 合计 / 小计 / 总计 (in any column: 序号 columns too)."""
    import pyarrow.compute as pc

    total = np.zeros(columns.rows, dtype=bool)
    for array in columns.text.values():
        rows = np.flatnonzero(np.asarray(pc.fill_null(pc.match_substring(array, "计"), False)))
        if not len(rows):
            continue
        packed = pc.replace_substring_regex(array.take(rows), f"{WHITESPACE}+", "")
        found = np.asarray(pc.fill_null(pc.match_substring_regex(packed, _TOTAL), False))
        total[rows[found]] = True
    return total


def _note_rows(columns: Columns) -> np.ndarray:
    """Rows whose first filled cell is a note or a signature: 注：…, 填表人：…"""
    import pyarrow.compute as pc

    notes = np.zeros(columns.rows, dtype=bool)
    if not columns.text or not columns.rows:
        return notes
    order = sorted(columns.filled)
    filled = np.column_stack([columns.filled[i] for i in order])
    first = np.asarray(order)[filled.argmax(axis=1)]
    anything = filled.any(axis=1)
    for index, array in columns.text.items():
        rows = np.flatnonzero(anything & (first == index))
        if len(rows):
            match = pc.match_substring_regex(array.take(rows), _NOTE)
            notes[rows] = np.asarray(pc.fill_null(match, False))
    return notes
