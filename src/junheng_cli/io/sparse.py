"""Read an .xlsx sheet one cell at a time, holding only the cells present.

For the sheets the fast reader must not be given: a cell far from the table (XFD50000, or a
space typed somewhere far away) makes it allocate the whole rectangle up to that cell. Here
only the cells that have a value are kept; the sheet is the rectangle of the cells that hold
something (a blank or whitespace-only cell outside it is dropped, as it reads as empty
anyway). When even that rectangle is too large, the far cell is named.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from junheng_cli.io import limits
from junheng_cli.io.cells import Cell, Merged, ReadError, column_letter

_Found = tuple[int, int, Any]  # 0-based row, 0-based column, value


def read_sparse(path: Path, sheet: str) -> tuple[list[list[Cell]], list[Merged]]:
    """The sheet's rows from A1 to its last cell with content, and its merged ranges."""
    file = str(path)
    filled: list[_Found] = []
    blank: list[_Found] = []  # whitespace-only text: kept only inside the rectangle
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on odd styles or dates
            merged_refs = _read_cells(path, sheet, filled, blank)
    except ReadError:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken sheet
        raise ReadError(
            f"无法读取工作表（{type(exc).__name__}: {exc}）"[:200], file, sheet
        ) from exc
    height = 1 + max((r for r, _, _ in filled), default=-1)
    width = 1 + max((c for _, c, _ in filled), default=-1)
    _check_rectangle(filled, height, width, file, sheet)
    rows: list[list[Cell]] = [[""] * width for _ in range(height)]
    for r, c, value in blank:
        if r < height and c < width:
            rows[r][c] = value
    for r, c, value in filled:
        rows[r][c] = value
    return rows, _merged(merged_refs, height, width)


def _read_cells(path: Path, sheet: str, filled: list[_Found], blank: list[_Found]) -> list[str]:
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        if sheet not in workbook.sheetnames:
            raise ReadError("无法读取工作表（找不到它的内容）", str(path), sheet)
        worksheet = workbook[sheet]
        with worksheet._get_source() as source:
            parser = WorkSheetParser(
                source,
                worksheet._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            for r, c, value in _cells(parser):
                if isinstance(value, str) and not value.strip():
                    blank.append((r, c, value))
                else:
                    filled.append((r, c, value))
            merged = parser.merged_cells
        return [m.coord for m in merged.mergeCell] if merged is not None else []
    finally:
        workbook.close()


def _cells(parser: Any) -> Iterator[_Found]:
    """Every cell with a value. Numbers come as floats and an error value (#DIV/0! …) as
    empty, as the fast reader gives them (errors are reported from the formula scan)."""
    for _, row in parser.parse():
        for cell in row:
            value = cell["value"]
            if value is None or cell["data_type"] == "e":
                continue
            if type(value) is int:
                value = float(value)
            yield cell["row"] - 1, cell["column"] - 1, value


def _check_rectangle(filled: list[_Found], height: int, width: int, file: str, sheet: str) -> None:
    if height * width > limits.MAX_CELLS:
        last = f"{column_letter(width - 1)}{height}"
        raise ReadError(
            f"工作表的内容从 A1 延伸到 {last}（{height:,} 行 × {width:,} 列 = "
            f"{height * width:,} 个单元格，超过上限 {limits.MAX_CELLS:,}）："
            f"{_far_cells(filled, height, width)}远离表格；"
            "请删除远处的内容（或把表格复制到新工作表）后重试",
            file,
            sheet,
        )
    if height > limits.MAX_ROWS:
        raise ReadError(
            f"工作表有 {height:,} 行，超过上限 {limits.MAX_ROWS:,} 行，不像是一个县的学校数据",
            file,
            sheet,
        )


def _far_cells(filled: list[_Found], height: int, width: int) -> str:
    """The cells that make the rectangle that large: the farthest one in the last column
    and the farthest one in the last row (often one and the same)."""
    right = max((f for f in filled if f[1] == width - 1), key=lambda f: f[0])
    down = max((f for f in filled if f[0] == height - 1), key=lambda f: f[1])
    named = [right] if right == down else [right, down]
    return "、".join(f"单元格 {column_letter(c)}{r + 1}（内容 {_preview(v)}）" for r, c, v in named)


def _preview(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 20 else text[:20] + "…")


def _merged(refs: list[str], height: int, width: int) -> list[Merged]:
    """Merged ranges that start inside the rectangle, cut to it."""
    from openpyxl.utils.cell import range_boundaries

    merged: list[Merged] = []
    for ref in refs:
        try:
            first_col, first_row, last_col, last_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if first_row is None or first_col is None or last_row is None or last_col is None:
            continue
        if first_row <= height and first_col <= width:
            merged.append(
                (
                    (first_row - 1, first_col - 1),
                    (min(last_row, height) - 1, min(last_col, width) - 1),
                )
            )
    return merged
