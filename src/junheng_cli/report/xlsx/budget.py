"""A budget plan's tables as a workbook: money to whole 元 with separators, CVs to four
places, long text wrapped (as the plan's workbook)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from junheng_cli.io.write import write_atomic
from junheng_cli.report.xlsx.common import frame_sheet
from junheng_cli.report.xlsx.plan import VALUE_FORMAT, _fit_text, _is_value_column

MONEY_FORMAT = "#,##0"


def _format(column: str) -> str | None:
    if "差异系数" in column:
        return "0.0000"
    if "（元）" in column:
        return MONEY_FORMAT
    if _is_value_column(column):
        return VALUE_FORMAT
    return None


def write_budget_xlsx(frames: dict[str, pd.DataFrame], target: Path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in frames.items():
        formats = {str(c): f for c in frame.columns if (f := _format(str(c))) is not None}
        ws = workbook.create_sheet(name)
        frame_sheet(ws, frame, formats)
        _fit_text(ws)
    write_atomic(target, lambda tmp: workbook.save(tmp))
