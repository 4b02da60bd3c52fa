"""Files and sheets: which sheets of each workbook hold schools, and every sheet read combined."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from junheng_cli.io.cells import ReadError, Sheet
from junheng_cli.io.headers import HeaderLookup
from junheng_cli.io.read import Workbook, open_workbook
from junheng_cli.io.sheet_table.columns import arrow_sheet_table
from junheng_cli.io.sheet_table.header import MIN_HEADER_MATCHES, header_score, is_empty
from junheng_cli.io.sheet_table.rows import build_sheet_table
from junheng_cli.io.sheet_table.tables import ROW, SOURCE, HeaderBlock, SchoolTable, SheetTable
from junheng_cli.io.side_tables import is_side_sheet, side_kind


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
    return any(not is_empty(c) for row in sheet.rows for c in row)


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
            table = arrow_sheet_table(workbook, name, options.lookup, header, options.group_by)
            if table is None:  # not a sheet of plain columns: every cell as the reader gives it
                sheet = workbook.sheet(name)
                table = build_sheet_table(sheet, options.lookup, header, options.group_by)
            tables.append(table)
        workbook.close()  # its sheets are read: the file is released before the next opens
    table = combine(tables, unused)
    table.class_sheets, table.county_sheets = classes, county
    return table


_KEPT_DTYPES = (np.dtype(object), np.dtype(np.float64))


def combine(tables: list[SheetTable], unused: list[tuple[str, str]] | None = None) -> SchoolTable:
    """All the sheets' rows in one frame, each with its sheet's index (``SOURCE``). Combining
    again the sheets of one combined workbook, all and in order, gives its frame back."""
    again = _combined_before(tables)
    if again is not None:
        return SchoolTable(tables, again, unused or [])
    frames = [t.frame.assign(**{SOURCE: i}) for i, t in enumerate(tables)]
    if len(frames) == 1:  # one sheet: its frame as it is (no copy of its columns)
        frame = frames[0].reset_index(drop=True)
    else:
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    del frames
    cells = [
        c
        for c, dtype in frame.dtypes.items()
        if c not in (ROW, SOURCE) and dtype not in _KEPT_DTYPES
    ]
    if cells:  # numbers read as typed columns stay float64; everything else raw cells
        frame = frame.astype(dict.fromkeys(cells, object))
    if len(tables) > 1:  # each sheet's rows become a view of the combined frame
        first = 0
        for i, table in enumerate(tables):
            rows = len(table.frame)
            table.frame = frame.iloc[first : first + rows].reset_index(drop=True)
            table.combined = (frame, i, len(tables))
            first += rows
    return SchoolTable(tables, frame, unused or [])


def _combined_before(tables: list[SheetTable]) -> pd.DataFrame | None:
    marks = [t.combined for t in tables]
    if not marks or any(m is None for m in marks):
        return None
    frame = marks[0][0]  # type: ignore[index]
    same = all(m[0] is frame and m[1] == i and m[2] == len(tables) for i, m in enumerate(marks))  # type: ignore[index]
    return frame if same else None
