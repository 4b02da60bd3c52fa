"""A plan's, a transfer list's or a scenario's tables as a workbook."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from junheng_cli.io.write import display_width, write_atomic
from junheng_cli.report.xlsx.common import frame_sheet

VALUE_FORMAT = "#,##0.00"  # the values of indicators, thresholds included
WRAP_AT = 40  # text wider than this wraps in its cell instead of running into the next


def write_plan_xlsx(frames: dict[str, pd.DataFrame], target: Path) -> None:
    """Plain sheets (as ``xlsx.common.write_frames``), with indicator values to two places and
    long text wrapped in its column, so that nothing runs into the next column in print."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in frames.items():
        formats = {
            str(c): "0.0000" if "差异系数" in str(c) else VALUE_FORMAT
            for c in frame.columns
            if "差异系数" in str(c) or _is_value_column(str(c))
        }
        ws = workbook.create_sheet(name)
        frame_sheet(ws, frame, formats)
        _fit_text(ws)
    write_atomic(target, lambda tmp: workbook.save(tmp))


def _is_value_column(name: str) -> bool:
    return any(word in name for word in ("本校值", "标准值", "平均值", "调出前", "调出后")) or (
        name in ("调入前", "调入后", "限值")
    )


def _fit_text(ws: Worksheet) -> None:
    """Wrap long text at ``WRAP_AT`` characters; make a column wide enough for a third of its
    header (headers wrap on three lines)."""
    for column in ws.iter_cols():
        header = column[0]
        letter = get_column_letter(header.column)
        widest = max((_width(c.value) for c in column[1:] if isinstance(c.value, str)), default=0)
        width = ws.column_dimensions[letter].width or 8
        width = max(width, math.ceil(_width(header.value) / 3) + 2)
        if widest > WRAP_AT:
            width = WRAP_AT + 2
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                lines = math.ceil(_width(cell.value) / WRAP_AT) or 1
                height = ws.row_dimensions[cell.row].height or 15
                ws.row_dimensions[cell.row].height = max(height, 15 * lines)
        ws.column_dimensions[letter].width = width


def _width(value: object) -> int:
    return display_width("" if value is None else str(value))
