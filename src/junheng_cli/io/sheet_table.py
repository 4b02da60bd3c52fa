"""From sheets' raw cells to one canonical school table.

Finds the header (title rows above it, two- or three-row headers with merged group cells),
maps headers onto canonical columns, and sorts every data row into exactly one place: a
school row, a blank row, or a total row (合计/小计/总计). Several sheets and files are
combined; every row keeps its origin. Cells stay as read; converting and checking values
is ``validate``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from junheng_cli.io.cells import ReadError, Sheet, column_index, column_letter
from junheng_cli.io.headers import HeaderLookup, HeaderMatch, fold
from junheng_cli.io.read import Workbook, open_workbook
from junheng_cli.io.side_tables import is_side_sheet, side_kind

HEADER_SCAN_ROWS = 30
MAX_HEADER_DEPTH = 3
MIN_HEADER_MATCHES = 2
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


# -- header detection ---------------------------------------------------------------------
def _is_empty(cell: object) -> bool:
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
    return "" if _is_empty(value) else str(value).strip()


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
    filled = [c for c in row if not _is_empty(c)]
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


# -- rows -----------------------------------------------------------------------------------
def build_sheet_table(
    sheet: Sheet,
    lookup: HeaderLookup,
    forced: HeaderBlock | None = None,
    group_by: str | None = None,
) -> SheetTable:
    found = find_header(sheet, lookup, forced)
    if found is None or not found[1].sources:
        raise ReadError(
            "找不到学校数据表头（至少应有“学校名称”“学校类型”等模板列名）；"
            "可用 --header-rows 指定表头所在行，或用 --columns 提供列名映射",
            sheet.file,
            sheet.name,
        )
    block, mapped = found
    sources, ignored = mapped.sources, mapped.ignored
    start = block.first + block.depth
    full = _data_rows(sheet.rows[start:])
    names = list(sources)
    body = full.reindex(columns=[sources[n].index for n in names])
    body.columns = names
    body[ROW] = range(start + 1, start + 1 + len(body))
    if group_by is not None:
        body[GROUP] = _group_column(sheet, start, sources, ignored, group_by, lookup)
    cells = _SheetCells.of(full)
    total = cells.total_rows()
    quantities = [sources[n].index for n in names if sources[n].match.column.field.kind != "text"]
    note = ~total & cells.note_rows() & cells.all_empty(quantities)
    blank = ~total & ~note & cells.all_empty([sources[n].index for n in names])
    schools = body[~blank & ~total & ~note].reset_index(drop=True)
    school_rows = set(schools[ROW])
    by_index = {s.index: n for n, s in sources.items()}
    formulas = {
        (r + 1, by_index[c])
        for r, c in sheet.uncached_formulas
        if r + 1 in school_rows and c in by_index
    }
    errors = {
        (r + 1, by_index[c]): text
        for (r, c), text in sheet.error_cells.items()
        if r + 1 in school_rows and c in by_index
    }
    return SheetTable(
        file=sheet.file,
        sheet=sheet.name,
        header=block,
        sources=sources,
        ignored_headers=ignored,
        frame=schools,
        blank_rows=body.loc[blank, ROW].tolist(),
        total_rows=body[total].reset_index(drop=True),
        note_rows=body.loc[note, ROW].tolist(),
        uncached_formulas=formulas,
        error_cells=errors,
        duplicate_columns=mapped.duplicates,
    )


def _group_column(
    sheet: Sheet,
    start: int,
    sources: dict[str, SourceColumn],
    ignored: list[tuple[str, str]],
    group_by: str,
    lookup: HeaderLookup,
) -> list[str]:
    """The text of the --group-by column for every data row."""
    mapped = lookup.column(group_by)
    if mapped is not None and mapped.name in sources:
        index = sources[mapped.name].index
    else:
        wanted = fold(group_by)
        letters = [letter for letter, header in ignored if fold(header) == wanted]
        if not letters:
            raise ReadError(f"找不到分组列“{group_by}”（--group-by）", sheet.file, sheet.name)
        index = column_index(letters[0])
    values = [row[index] if index < len(row) else None for row in sheet.rows[start:]]
    return ["" if _is_empty(v) else str(v).strip() for v in values]


NOTE_ROW = re.compile(
    r"^(注|备注|说明|填表人|填报人|审核人|制表人|制表|单位负责人|负责人|联系电话|填报日期)"
)
_cell_is_empty = np.frompyfunc(_is_empty, 1, 1)
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


def _data_rows(rows: list[list[object]]) -> pd.DataFrame:
    """The rows below the header as an object frame, an empty cell as None (the reader
    gives '' for an empty cell; a column of numbers then stays a column of numbers)."""
    values = pd.DataFrame(rows, dtype=object).to_numpy(dtype=object, copy=True)
    if values.size:
        values[values == ""] = None
    return pd.DataFrame(values, dtype=object)


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
    def of(cls, full: pd.DataFrame) -> _SheetCells:
        values = full.to_numpy(dtype=object)
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


# -- files and sheets -------------------------------------------------------------------------
@dataclass(frozen=True)
class ReadOptions:
    sheets: tuple[str, ...] = ()  # only these sheets (every file)
    header: HeaderBlock | None = None
    lookup: HeaderLookup = field(default_factory=HeaderLookup)
    group_by: str | None = None  # a header whose values split one workbook into counties


def choose_sheets(
    workbook: Workbook, options: ReadOptions
) -> tuple[dict[str, HeaderBlock | None], list[str]]:
    """Sheets to read (with the header found in each) and sheets passed over. Without
    --sheet: every sheet whose header has 学校名称 and 学校类型 (one sheet per township is
    common); if none has both, the sheet that maps the most template columns, so that what
    it lacks is reported."""
    if options.sheets:
        missing = [s for s in options.sheets if s not in workbook.sheet_names]
        if missing:
            names = "、".join(workbook.sheet_names)
            raise ReadError(
                f"没有名为 {'、'.join(missing)} 的工作表；工作表有：{names}", workbook.file
            )
        passed = [s for s in workbook.sheet_names if s not in options.sheets]
        return dict.fromkeys(options.sheets), passed
    found = {
        name: header_score(workbook.preview(name), options.lookup)
        for name in workbook.sheet_names
        if not is_side_sheet(name)
    }
    best = max((score for score, _, _ in found.values()), default=0)
    if best < MIN_HEADER_MATCHES:
        if all(not _has_cells(workbook.preview(n)) for n in workbook.sheet_names):
            raise ReadError("工作簿是空的：没有任何单元格有内容", workbook.file)
        raise ReadError(
            "没有一个工作表像学校数据表（找不到“学校名称”“学校类型”等列名）；"
            "可用 --sheet 指定工作表、--header-rows 指定表头行，或用 --columns 提供列名映射",
            workbook.file,
        )
    chosen = {name: block for name, (_, block, schools) in found.items() if schools}
    if not chosen:
        name = max(found, key=lambda n: found[n][0])
        chosen = {name: found[name][1]}
    return chosen, [n for n in workbook.sheet_names if n not in chosen]


def _has_cells(sheet: Sheet) -> bool:
    return any(not _is_empty(c) for row in sheet.rows for c in row)


def read_school_table(paths: Sequence[Path], options: ReadOptions | None = None) -> SchoolTable:
    """Read every file, choose its school sheets, map headers and combine the rows."""
    options = options or ReadOptions()
    tables: list[SheetTable] = []
    unused: list[tuple[str, str]] = []
    classes: list[Sheet] = []
    county: list[Sheet] = []
    for path in paths:
        workbook = open_workbook(path)
        chosen, passed = choose_sheets(workbook, options)
        for name in passed:
            kind = side_kind(name)
            if kind == "classes":
                classes.append(workbook.sheet(name))
            elif kind == "county":
                county.append(workbook.sheet(name))
            else:
                unused.append((workbook.file, name))
        for name, block in chosen.items():
            header = options.header or block
            sheet = workbook.sheet(name)
            tables.append(build_sheet_table(sheet, options.lookup, header, options.group_by))
        workbook.close()  # its sheets are read: the file is released before the next opens
    table = combine(tables, unused)
    table.class_sheets, table.county_sheets = classes, county
    return table


def combine(tables: list[SheetTable], unused: list[tuple[str, str]] | None = None) -> SchoolTable:
    frames = [t.frame.assign(**{SOURCE: i}) for i, t in enumerate(tables)]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    cells = [c for c in frame.columns if c not in (ROW, SOURCE) and frame[c].dtype != object]
    if cells:
        frame = frame.astype(dict.fromkeys(cells, object))
    return SchoolTable(tables, frame, unused or [])
