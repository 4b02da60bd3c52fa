"""The tables a sheet is read into: one sheet's rows with their origin, and the school table
of every sheet read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from junheng_cli.io.cells import Sheet, column_letter
from junheng_cli.io.headers import HeaderMatch

ROW = "_row"  # Excel row number, as the user sees it
SOURCE = "_source"  # index of the sheet the row came from
ROWS_PER_SOURCE = 2**32  # row keys: source × this + Excel row, one integer per row read


def row_keys(frame: pd.DataFrame) -> np.ndarray:
    """One integer per row: the sheet it came from and its Excel row."""
    sources = frame[SOURCE].to_numpy(dtype=np.int64)
    return sources * ROWS_PER_SOURCE + frame[ROW].to_numpy(dtype=np.int64)


GROUP = "_group"  # with --group-by: the value that says which county a row belongs to
TOTAL_ROW = re.compile(r"^(全县|全区|全市|全镇|全乡|本页|本表|本乡镇|本镇|本乡)?(合计|小计|总计)")


@dataclass(frozen=True)
class SourceColumn:
    """Where a canonical column came from in a sheet."""

    match: HeaderMatch
    index: int  # 0-based column index
    header: str

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True)
class HeaderBlock:
    first: int  # 0-based index of the first header row
    depth: int  # number of header rows

    @property
    def excel_rows(self) -> tuple[int, int]:
        return self.first + 1, self.first + self.depth

    def describe(self) -> str:
        first, last = self.excel_rows
        return f"第 {first} 行" if first == last else f"第 {first}–{last} 行"


@dataclass
class SheetTable:
    """One sheet's header mapping and its rows, sorted."""

    file: str
    sheet: str
    header: HeaderBlock
    sources: dict[str, SourceColumn]  # canonical column name → sheet column
    ignored_headers: list[tuple[str, str]]  # (letter, header) mapped to nothing
    frame: pd.DataFrame  # school rows: canonical columns (raw cells) + ROW
    blank_rows: list[int] = field(default_factory=list)
    total_rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # raw cells + ROW
    note_rows: list[int] = field(default_factory=list)  # 注：… 填表人：… below the table
    uncached_formulas: set[tuple[int, str]] = field(default_factory=set)  # (row, column)
    error_cells: dict[tuple[int, str], str] = field(default_factory=dict)  # (row, column) → #N/A
    # A second (third …) column whose header maps to a canonical column already taken:
    # (canonical column name, that sheet column). Which one holds the figures is unknown.
    duplicate_columns: list[tuple[str, SourceColumn]] = field(default_factory=list)
    # Once combined with the other sheets of its workbook: ``frame`` is its rows of that
    # combined frame, kept here (with its place and the number of sheets) so that combining
    # the same sheets again gives it back instead of a copy.
    combined: tuple[pd.DataFrame, int, int] | None = field(default=None, repr=False)

    @property
    def rows_read(self) -> int:
        return len(self.frame) + len(self.blank_rows) + len(self.total_rows) + len(self.note_rows)

    def header_of(self, column: str) -> str | None:
        source = self.sources.get(column)
        return source.header if source else None

    def letter_of(self, column: str) -> str | None:
        source = self.sources.get(column)
        return source.letter if source else None


@dataclass
class SchoolTable:
    """All school rows of a run, from one or more sheets, with their origins."""

    sheets: list[SheetTable]
    frame: pd.DataFrame  # canonical columns (raw cells) + ROW + SOURCE
    unused_sheets: list[tuple[str, str]] = field(default_factory=list)  # (file, sheet)
    class_sheets: list[Sheet] = field(default_factory=list)  # 班级: one row per class
    county_sheets: list[Sheet] = field(default_factory=list)  # 县级指标

    @property
    def rows_read(self) -> int:
        return sum(s.rows_read for s in self.sheets)

    @property
    def blank_rows(self) -> int:
        return sum(len(s.blank_rows) for s in self.sheets)

    @property
    def total_rows(self) -> int:
        return sum(len(s.total_rows) for s in self.sheets)

    @property
    def note_rows(self) -> int:
        return sum(len(s.note_rows) for s in self.sheets)

    @property
    def columns(self) -> set[str]:
        """Canonical columns present in every sheet."""
        sets = [set(s.sources) for s in self.sheets]
        return set.intersection(*sets) if sets else set()
