"""Sorting every data row of a sheet into exactly one place: a school row, a blank row, a total
row (合计/小计/总计) or a note under the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from junheng_cli.io.cells import ReadError, Sheet, column_index
from junheng_cli.io.headers import HeaderLookup, fold
from junheng_cli.io.sheet_table.header import HeaderMap, find_header, is_empty
from junheng_cli.io.sheet_table.tables import (
    GROUP,
    ROW,
    TOTAL_ROW,
    HeaderBlock,
    SheetTable,
    SourceColumn,
)


def build_sheet_table(
    sheet: Sheet,
    lookup: HeaderLookup,
    forced: HeaderBlock | None = None,
    group_by: str | None = None,
) -> SheetTable:
    block, mapped = header_or_refusal(sheet, lookup, forced)
    sources, ignored = mapped.sources, mapped.ignored
    start = block.first + block.depth
    full = _data_rows(sheet.rows[start:])
    names = list(sources)
    body = _columns_at(full, [sources[n].index for n in names], names)
    body[ROW] = np.arange(start + 1, start + 1 + len(body), dtype=np.int64)
    if group_by is not None:
        body[GROUP] = _group_column(sheet, start, sources, ignored, group_by, lookup)
    cells = _SheetCells.of(full)
    total = cells.total_rows()
    quantities = [sources[n].index for n in names if sources[n].match.column.field.kind != "text"]
    note = ~total & cells.note_rows() & cells.all_empty(quantities)
    blank = ~total & ~note & cells.all_empty([sources[n].index for n in names])
    origin = Origin(sheet.file, sheet.name, sheet.uncached_formulas, sheet.error_cells)
    return sorted_table(origin, block, mapped, body, Sorted(blank, total, note))


@dataclass(frozen=True)
class Origin:
    file: str
    sheet: str
    uncached_formulas: set[tuple[int, int]]  # (row, col), 0-based
    error_cells: dict[tuple[int, int], str]


@dataclass(frozen=True)
class Sorted:
    """Per data row: blank, a total (合计/小计/总计), a note under the table."""

    blank: np.ndarray
    total: np.ndarray
    note: np.ndarray


def sorted_table(
    origin: Origin, block: HeaderBlock, mapped: HeaderMap, body: pd.DataFrame, rows: Sorted
) -> SheetTable:
    """The sheet's table: its school rows, and where every other row went."""
    blank, total, note = rows.blank, rows.total, rows.note
    sources = mapped.sources
    kept = ~blank & ~total & ~note
    schools = body if kept.all() else body[kept].reset_index(drop=True)  # no copy if all kept
    formulas: set[tuple[int, str]] = set()
    errors: dict[tuple[int, str], str] = {}
    if origin.uncached_formulas or origin.error_cells:
        school_rows = set(schools[ROW].tolist())
        by_index = {s.index: n for n, s in sources.items()}
        formulas = {
            (r + 1, by_index[c])
            for r, c in origin.uncached_formulas
            if r + 1 in school_rows and c in by_index
        }
        errors = {
            (r + 1, by_index[c]): text
            for (r, c), text in origin.error_cells.items()
            if r + 1 in school_rows and c in by_index
        }
    return SheetTable(
        file=origin.file,
        sheet=origin.sheet,
        header=block,
        sources=sources,
        ignored_headers=mapped.ignored,
        frame=schools,
        blank_rows=_rows_where(body, blank),
        total_rows=body[total].reset_index(drop=True),
        note_rows=_rows_where(body, note),
        uncached_formulas=formulas,
        error_cells=errors,
        duplicate_columns=mapped.duplicates,
    )


def _rows_where(body: pd.DataFrame, mask: np.ndarray) -> list[int]:
    """The sheet rows (Excel numbering) of the body rows in ``mask``."""
    return body[ROW].to_numpy()[mask].tolist() if mask.any() else []


def header_or_refusal(
    sheet: Sheet, lookup: HeaderLookup, forced: HeaderBlock | None
) -> tuple[HeaderBlock, HeaderMap]:
    found = find_header(sheet, lookup, forced)
    if found is None or not found[1].sources:
        raise ReadError(
            "找不到学校数据表头（至少应有“学校名称”“学校类型”等模板列名）；"
            "可用 --header-rows 指定表头所在行，或用 --columns 提供列名映射",
            sheet.file,
            sheet.name,
        )
    return found


def _group_column(
    sheet: Sheet,
    start: int,
    sources: dict[str, SourceColumn],
    ignored: list[tuple[str, str]],
    group_by: str,
    lookup: HeaderLookup,
) -> list[str]:
    """The text of the --group-by column for every data row."""
    index = group_index(sources, ignored, group_by, lookup, sheet.file, sheet.name)
    values = [row[index] if index < len(row) else None for row in sheet.rows[start:]]
    return ["" if is_empty(v) else str(v).strip() for v in values]


def group_index(
    sources: dict[str, SourceColumn],
    ignored: list[tuple[str, str]],
    group_by: str,
    lookup: HeaderLookup,
    file: str,
    sheet: str,
) -> int:
    """The sheet column of --group-by: a template column, or a header mapped to nothing."""
    mapped = lookup.column(group_by)
    if mapped is not None and mapped.name in sources:
        return sources[mapped.name].index
    wanted = fold(group_by)
    letters = [letter for letter, header in ignored if fold(header) == wanted]
    if not letters:
        raise ReadError(f"找不到分组列“{group_by}”（--group-by）", file, sheet)
    return column_index(letters[0])


NOTE_ROW = re.compile(
    r"^(注|备注|说明|填表人|填报人|审核人|制表人|制表|单位负责人|负责人|联系电话|填报日期)"
)
_cell_is_empty = np.frompyfunc(is_empty, 1, 1)
_cell_is_note = np.frompyfunc(
    lambda c: isinstance(c, str) and NOTE_ROW.match(c.strip()) is not None, 1, 1
)
_cell_is_total = np.frompyfunc(
    lambda c: (
        c.__class__ is str and "计" in c and TOTAL_ROW.match(re.sub(r"\s+", "", c)) is not None
    ),
    1,
    1,
)


def _data_rows(rows: list[list[object]]) -> np.ndarray:
    """The rows below the header as an object array (rows × columns), an empty cell as None
    (the reader gives '' for an empty cell; a column of numbers then stays a column of
    numbers)."""
    width = max(map(len, rows), default=0)
    if any(len(row) != width for row in rows):  # the CSV reader's rows end where they end
        rows = [[*row, *([None] * (width - len(row)))] for row in rows]
    values = np.empty((len(rows), width), dtype=object)
    if values.size:
        values[...] = rows
        values[values == ""] = None
    return values


def _columns_at(values: np.ndarray, indexes: list[int], names: list[str]) -> pd.DataFrame:
    """The columns at ``indexes`` under ``names``; a column past the rows' width is empty
    (NaN, as a reindex fills it)."""
    taken = np.full((len(values), len(indexes)), np.nan, dtype=object)
    for j, index in enumerate(indexes):
        if index < values.shape[1]:
            taken[:, j] = values[:, index]
    return pd.DataFrame(taken, columns=names, dtype=object, copy=False)


# Cell kinds (pandas' infer_dtype) that cannot hold text: such a column is empty exactly
# where it is missing, and holds no 合计 or 注 label.
NO_TEXT_KINDS = frozenset(
    {"empty", "floating", "integer", "mixed-integer-float", "decimal", "boolean", "datetime"}
)


@dataclass(frozen=True)
class _SheetCells:
    """The data rows of a sheet (every column), with each cell's emptiness worked out once.
    Per-cell Python work is spent only on the columns that hold text."""

    values: np.ndarray  # object, rows × columns
    empty: np.ndarray  # bool, rows × columns
    text_columns: np.ndarray  # bool per column

    @classmethod
    def of(cls, values: np.ndarray) -> _SheetCells:
        empty = np.empty(values.shape, dtype=bool)
        text = np.zeros(values.shape[1], dtype=bool)
        for j in range(values.shape[1]):
            column = values[:, j]
            if pd.api.types.infer_dtype(column, skipna=True) in NO_TEXT_KINDS:
                empty[:, j] = pd.isna(column)
            else:
                text[j] = True
                empty[:, j] = _cell_is_empty(column).astype(bool) | pd.isna(column)
        return cls(values, empty, text)

    def all_empty(self, columns: list[int]) -> np.ndarray:
        """Rows empty in all these columns (a column past the sheet's width is empty)."""
        inside = [c for c in columns if c < self.empty.shape[1]]
        return self.empty[:, inside].all(axis=1)

    def total_rows(self) -> np.ndarray:
        """Rows with a cell that reads 合计 / 小计 / 总计 (in any column: 序号 columns too)."""
        text = self.values[:, self.text_columns]
        if text.size == 0:
            return np.zeros(len(self.values), dtype=bool)
        return _cell_is_total(text).astype(bool).any(axis=1)

    def note_rows(self) -> np.ndarray:
        """Rows whose first filled cell is a note or a signature: 注：…, 填表人：…"""
        filled = ~self.empty
        notes = np.zeros(len(self.values), dtype=bool)
        if not filled.size:
            return notes
        first = filled.argmax(axis=1)
        candidates = np.flatnonzero(filled.any(axis=1) & self.text_columns[first])
        leading = self.values[candidates, first[candidates]]
        notes[candidates] = _cell_is_note(leading).astype(bool)
        return notes
