"""An .xlsx sheet's data rows as typed columns (fastexcel → Arrow → NumPy), never as a Python
object per cell.

fastexcel is asked to guess each column's type from all its rows, so the guess says what the
column holds: a column of numbers (and empty cells) comes as float64, a column with text as
text. A column is taken from Arrow only when that is exactly what the cell reader would have
given, cell for cell:

- a number column: every value a number (an error value reads as empty, as it does for the
  cell reader; the streaming pass reports it). A TRUE/FALSE anywhere in the sheet (Arrow
  would make it 1.0) or a text such as "NA" or "nan" that the guess took for a missing value
  makes the sheet ``Mixed``;
- a text column of school names, codes, types or the --group-by column: text only, or
  numbers only. A column holding both (or dates) makes the sheet ``Mixed``: fastexcel writes
  a number among text rounded to nine decimals (1e-20 as "0"), and the guess is made strict
  (``xlsx_chunks.load_typed``) so that such a column is named, never told by its text;
- a column the header maps to a figure that holds any text is ``Mixed``: which of its cells
  are numbers and which are text ("1,200", "无", "TRUE") must be known per cell;
- a column the header does not map: whatever it holds, only whether each cell is empty and
  its text (for 合计 and 注 rows) is used.

A ``Mixed`` sheet is read by the cell reader (``Workbook.sheet``), which keeps every value as
typed: nothing is ever coerced into a number here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from junheng_cli.errors import JunhengError

if TYPE_CHECKING:
    from junheng_cli.io.xlsx_chunks import Parsed

# Python's whitespace (str.isspace, str.strip, re's \s) for the Arrow regex engine (RE2)
WHITESPACE = (
    r"[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}]"
)
_EMPTY = "'String(\"\")'"  # an empty text: read as an empty cell


class Use(Enum):
    """What a sheet column is read for."""

    FIGURE = "figure"  # a number column of the template
    NAME = "name"  # shown as typed (学校名称), or the --group-by column
    TEXT = "text"  # other identity text: codes, types, townships
    OTHER = "other"  # not mapped: only empty or not, and its text


class Mixed(JunhengError):
    """The sheet holds something only the cell reader reads faithfully (a signal, caught
    by the caller and never shown)."""


@dataclass
class Columns:
    """The data rows of a sheet, from ``start`` (0-based) to its last row, by sheet column."""

    start: int
    rows: int
    width: int  # as far as the sheet's cells reach (A1-based)
    values: dict[int, np.ndarray]  # float64 (NaN empty) or object (str, None empty)
    filled: dict[int, np.ndarray]  # bool: the cell is not empty
    text: dict[int, Any]  # pyarrow string arrays of the columns that hold text


def load_columns(path: Path, sheet: str, start: int, uses: dict[int, Use]) -> Columns:
    """The sheet's rows from ``start`` as columns, parsed whole; raises ``Mixed`` (or
    fastexcel's own errors) when they cannot be taken as they are."""
    import fastexcel

    from junheng_cli.io.xlsx_chunks import load_typed

    quiet()
    parsed = load_typed(fastexcel.read_excel(str(path)), sheet, start, start)
    return columns_of([parsed], uses)


def quiet() -> None:
    logging.getLogger("fastexcel").setLevel(logging.ERROR)  # its notes on empty columns


def columns_of(parts: list[Parsed | Columns], uses: dict[int, Use]) -> Columns:
    """Columns from parses (or pieces) of consecutive rows: part k holds the rows from its
    first up to the next part's (rows it does not reach are empty)."""
    pieces: list[Columns] = []
    for k, part in enumerate(parts):
        piece = part if isinstance(part, Columns) else _parsed(part, uses)
        if k + 1 < len(parts):
            following = parts[k + 1]
            reach = following.start if isinstance(following, Columns) else following.first
            if piece.rows > reach - piece.start:
                raise Mixed  # a cell numbered outside its rows: read the sheet whole
            piece.rows = reach - piece.start
        pieces.append(piece)
    return _joined(pieces) if len(pieces) > 1 else pieces[0]


def _parsed(part: Parsed, uses: dict[int, Use]) -> Columns:
    piece = Columns(part.first, part.rows, 0, {}, {}, {})
    for column in part.prepared if part.prepared is not None else prepare(part):
        piece.width = max(piece.width, column.index + 1)
        _apply(piece, column, uses.get(column.index, Use.OTHER))
    return piece


def rows_piece(
    rows: list[list[Any]], start: int, reach: int, width: int, uses: dict[int, Use]
) -> Columns:
    """Rows ``start`` to ``reach`` (0-based, past the end: empty) of the cell reader's rows
    (a sheet's first rows, from the streaming pass) as a piece of columns, held to the same
    rules as the columns parsed by fastexcel."""
    import pyarrow as pa

    block = [*rows[start:reach], *[[]] * max(0, reach - max(start, len(rows)))]
    piece = Columns(start, len(block), width, {}, {}, {})
    for j in range(max((len(r) for r in block), default=0)):
        cells = [row[j] if j < len(row) else "" for row in block]
        use = uses.get(j, Use.OTHER)
        texts = [c if isinstance(c, str) and c != "" else None for c in cells]
        numbers = [c for c in cells if not isinstance(c, str)]
        if any(type(c) is not float for c in numbers):
            if use is not Use.OTHER:
                raise Mixed  # TRUE/FALSE, a date: as the cell reader gives it
        elif use is Use.FIGURE and any(t is not None for t in texts):
            raise Mixed
        piece.filled[j] = np.array([_filled(c) for c in cells], dtype=bool)
        if any(t is not None for t in texts):
            piece.text[j] = pa.array(texts, pa.string())
        if use is Use.FIGURE:
            piece.values[j] = np.array([np.nan if c == "" else c for c in cells], np.float64)
        elif use is not Use.OTHER:
            piece.values[j] = np.array([None if c == "" else c for c in cells], dtype=object)
    return piece


def _filled(cell: Any) -> bool:
    return not (cell is None or (isinstance(cell, str) and not cell.strip()))


def _joined(pieces: list[Columns]) -> Columns:
    import pyarrow as pa

    joined = Columns(pieces[0].start, sum(p.rows for p in pieces), 0, {}, {}, {})
    joined.width = max(p.width for p in pieces)
    indices = sorted({i for p in pieces for i in p.filled})
    for index in indices:
        joined.filled[index] = np.concatenate(
            [_fit(p.filled.get(index), p.rows, False) for p in pieces]
        )
        found = [p.values.get(index) for p in pieces]
        if any(v is not None for v in found):
            text = any(v is not None and v.dtype == object for v in found)
            empty = None if text else np.nan
            joined.values[index] = np.concatenate(
                [_fit(v, p.rows, empty) for v, p in zip(found, pieces, strict=True)]
            )
        if any(index in p.text for p in pieces):
            joined.text[index] = pa.concat_arrays(
                [_fit_text(p.text.get(index), p.rows) for p in pieces]
            )
    return joined


def _fit(values: np.ndarray | None, rows: int, empty: object) -> np.ndarray:
    """``values`` padded to ``rows`` with ``empty`` (all of it when there are none)."""
    dtype = bool if isinstance(empty, bool) else (object if empty is None else np.float64)
    if values is None:
        return np.full(rows, empty, dtype=dtype)
    if empty is None and values.dtype != object:
        values = np.where(np.isnan(values), None, values.astype(object))
    if len(values) == rows:
        return values
    return np.concatenate([values, np.full(rows - len(values), empty, dtype=values.dtype)])


def _fit_text(array: Any, rows: int) -> Any:
    import pyarrow as pa

    if array is None:
        return pa.nulls(rows, pa.string())
    if len(array) == rows:
        return array.cast(pa.string())
    return pa.concat_arrays([array.cast(pa.string()), pa.nulls(rows - len(array), pa.string())])


def _errors_by_column(errors: Any) -> dict[int, list[tuple[int, str]]]:
    """Cells fastexcel could not give as their column's type: (row, what it found)."""
    found: dict[int, list[tuple[int, str]]] = {}
    for error in errors.errors if errors is not None else []:
        row, col = error.offset_position
        found.setdefault(col, []).append((row, error.detail.split(" but got ", 1)[-1]))
    return found


@dataclass
class Prepared:
    """One parsed column as NumPy and Arrow, whatever the header makes of it (worked out in
    the parser's thread, before the header is known); ``_apply`` then takes what the
    column's use allows."""

    index: int  # the sheet column, 0-based
    kind: str  # "number", "text", "empty" or "other" (TRUE/FALSE, dates, durations)
    filled: np.ndarray
    values: np.ndarray | None = None  # float64 for numbers, object (str, None) for text
    text: Any = None  # the Arrow text of a text column
    odd: bool = False  # a number column with text the guess took for a number or a gap
    mixed: bool = False  # text and numbers (or dates): read again as text by the parser


def prepare(part: Parsed) -> list[Prepared]:
    """Every column of a parse, prepared (``Prepared``)."""
    bad = _errors_by_column(part.errors)
    return [
        _prepare(info.absolute_index, info.dtype, part.batch.column(i), bad.get(i, []), part)
        for i, info in enumerate(part.infos)
    ]


def _prepare(
    index: int, dtype: str, array: Any, errors: list[tuple[int, str]], part: Parsed
) -> Prepared:
    import pyarrow.compute as pc

    mixed = index in part.mixed
    if dtype in ("float", "int"):
        values = np.asarray(array.to_numpy(zero_copy_only=False), dtype=np.float64)
        filled = ~np.isnan(values)
        strange = filled & ~np.isfinite(values)  # "inf" typed as text
        nan_text = np.isnan(values) & np.asarray(array.is_valid())  # "nan" typed as text
        texts = [row for row, what in errors if what.startswith("'String(") and what != _EMPTY]
        odd = bool(strange.any() or nan_text.any() or texts)
        filled = filled | nan_text
        filled[texts] = True
        return Prepared(index, "number", filled, values, odd=odd, mixed=mixed)
    if dtype == "string" and _no_text(array):
        dtype = "null"  # fastexcel's guess for a column of empty cells only
    if dtype == "string":
        blank = pc.match_substring_regex(array, f"^{WHITESPACE}*$")
        filled = np.asarray(pc.fill_null(pc.invert(blank), False))
        return Prepared(index, "text", filled, _objects(array), array, mixed=mixed)
    if dtype == "null":
        return Prepared(index, "empty", np.zeros(len(array), dtype=bool), mixed=mixed)
    return Prepared(index, "other", np.asarray(array.is_valid()), mixed=mixed)


def _apply(columns: Columns, column: Prepared, use: Use) -> None:
    """The prepared column into ``columns`` as its use reads it; ``Mixed`` when only the cell
    reader can read it faithfully."""
    index = column.index
    if column.mixed and use is not Use.OTHER:
        raise Mixed  # text and numbers (or dates) in a column the template reads
    columns.filled[index] = column.filled
    if column.kind == "number":
        if column.odd and use is not Use.OTHER:
            raise Mixed
        columns.values[index] = column.values  # type: ignore[assignment]
    elif column.kind == "text":
        if use is Use.FIGURE:
            raise Mixed
        columns.text[index] = column.text
        if use is not Use.OTHER:
            columns.values[index] = column.values  # type: ignore[assignment]
    elif column.kind == "empty":
        if use is not Use.OTHER:
            rows = len(column.filled)
            columns.values[index] = np.full(rows, np.nan) if use is Use.FIGURE else _nones(rows)
    elif use is not Use.OTHER:  # TRUE/FALSE, dates, durations in a mapped column
        raise Mixed


def _no_text(array: Any) -> bool:
    import pyarrow.compute as pc

    return not pc.any(pc.fill_null(pc.not_equal(array, ""), False)).as_py()


def _objects(array: Any) -> np.ndarray:
    """A text column as Python strings (None where empty), one object per distinct text: a
    county's name or a school type is held once, not once a row."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(array)
    words = np.append(encoded.dictionary.to_numpy(zero_copy_only=False), None).astype(object)
    words[words == ""] = None
    codes = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False))
    return words[codes]


def _nones(length: int) -> np.ndarray:
    return np.full(length, None, dtype=object)
