"""From a sheet's raw cells to the canonical school table.

Finds the header row, maps headers onto canonical columns, and sorts every data row
into one place: a school row, a blank row, or a total row (合计/小计/总计). Cells stay
as read; converting and checking values is ``validate``'s job.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from junheng_cli.io.read import ReadError, Sheet, column_letter
from junheng_cli.schema import Column, template_columns

HEADER_SCAN_ROWS = 30
MIN_HEADER_MATCHES = 2
ROW = "_row"  # Excel row number, as the user sees it
TOTAL_ROW = re.compile(r"^(全县|全区|全市|全镇|全乡|本页|本表)?(合计|小计|总计)")
_UNIT_SUFFIX = re.compile(r"[(（][^()（）]*[)）]$")


@dataclass(frozen=True)
class SourceColumn:
    """Where a canonical column came from in the sheet."""

    column: Column
    letter: str
    header: str


@dataclass
class SchoolTable:
    file: str
    sheet: str
    header_row: int
    frame: pd.DataFrame  # canonical column names, raw cell values, plus ROW
    sources: dict[str, SourceColumn]  # canonical column name → sheet column
    ignored_headers: list[tuple[str, str]]  # (letter, header) mapped to nothing
    blank_rows: list[int] = field(default_factory=list)
    total_rows: list[int] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.frame) + len(self.blank_rows) + len(self.total_rows)

    def header_of(self, column: str) -> str:
        source = self.sources.get(column)
        return source.header if source else column

    def letter_of(self, column: str) -> str | None:
        source = self.sources.get(column)
        return source.letter if source else None


def normalise_header(text: object) -> str:
    """Header text without spaces, line breaks, width differences or a trailing unit."""
    cleaned = unicodedata.normalize("NFKC", str(text))
    cleaned = re.sub(r"\s+", "", cleaned)
    return _UNIT_SUFFIX.sub("", cleaned)


def _known_headers() -> dict[str, Column]:
    return {normalise_header(c.header): c for c in template_columns()}


def _is_empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def find_header_row(rows: list[list[object]]) -> int | None:
    """Index of the row that matches the most template headers (at least two)."""
    known = _known_headers()
    best, best_hits = None, MIN_HEADER_MATCHES - 1
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits = sum(1 for cell in row if not _is_empty(cell) and normalise_header(cell) in known)
        if hits > best_hits:
            best, best_hits = index, hits
    return best


def map_headers(
    header: list[object],
) -> tuple[dict[int, Column], list[tuple[str, str]]]:
    known = _known_headers()
    mapped: dict[int, Column] = {}
    ignored: list[tuple[str, str]] = []
    taken: set[str] = set()
    for index, cell in enumerate(header):
        if _is_empty(cell):
            continue
        column = known.get(normalise_header(cell))
        if column is None or column.name in taken:
            ignored.append((column_letter(index), str(cell)))
            continue
        mapped[index] = column
        taken.add(column.name)
    return mapped, ignored


def build_table(sheet: Sheet) -> SchoolTable:
    header_index = find_header_row(sheet.rows)
    if header_index is None:
        raise ReadError(
            "找不到学校数据表头（至少应有“学校名称”“学校类型”等模板列名）",
            sheet.file,
            sheet.name,
        )
    mapped, ignored = map_headers(sheet.rows[header_index])
    sources = {
        col.name: SourceColumn(col, column_letter(i), str(sheet.rows[header_index][i]).strip())
        for i, col in mapped.items()
    }
    body = pd.DataFrame(sheet.rows[header_index + 1 :], dtype=object)
    body = body.reindex(columns=list(mapped))
    body.columns = [col.name for col in mapped.values()]
    body[ROW] = range(header_index + 2, header_index + 2 + len(body))
    cells = body.drop(columns=ROW)
    blank = _empty_mask(cells).all(axis=1)
    identity = [col.name for col in mapped.values() if col.field.kind == "text"]
    total = ~blank & _total_mask(cells[identity])
    return SchoolTable(
        file=sheet.file,
        sheet=sheet.name,
        header_row=header_index + 1,
        frame=body[~blank & ~total].reset_index(drop=True),
        sources=sources,
        ignored_headers=ignored,
        blank_rows=body.loc[blank, ROW].tolist(),
        total_rows=body.loc[total, ROW].tolist(),
    )


def _empty_mask(cells: pd.DataFrame) -> pd.DataFrame:
    text = cells.astype("string").apply(lambda s: s.str.strip())
    return cells.isna() | text.eq("").fillna(True)


def _total_mask(identity: pd.DataFrame) -> pd.Series:
    if identity.empty:
        return pd.Series(False, index=identity.index)
    text = identity.astype("string").apply(lambda s: s.str.replace(r"\s+", "", regex=True))
    return text.apply(lambda s: s.str.match(TOTAL_ROW.pattern)).fillna(False).any(axis=1)
