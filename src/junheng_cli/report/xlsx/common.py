"""What every workbook junheng writes is made of: plain sheets of DataFrames with bold frozen
headers and number formats, cells that never hold a formula, columns fitted to their
values, landscape A4 fitted to the width."""

from __future__ import annotations

import math
from collections.abc import Hashable
from copy import copy
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from junheng_cli.io.write import display_width

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GREEN = PatternFill("solid", fgColor="C6EFCE")
AMBER = PatternFill("solid", fgColor="FFEB9C")
RED = PatternFill("solid", fgColor="FFC7CE")
MAX_WIDTH = 50


def frame_sheet(ws: Worksheet, frame: pd.DataFrame, formats: dict[str, str]) -> None:
    write_frame(ws, frame, formats, start_row=1)
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 66
    fit_columns(ws)
    print_setup(ws)


def write_frame(
    ws: Worksheet, frame: pd.DataFrame, formats: dict[str, str], start_row: int
) -> None:
    for c, name in enumerate(frame.columns, start=1):
        cell = ws.cell(start_row, c, str(name))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    texts = {c: object for c, dtype in frame.dtypes.items() if isinstance(dtype, pd.StringDtype)}
    rows = frame.astype(texts) if texts else frame  # pandas' text iterates a value at a time
    for r, record in enumerate(rows.itertuples(index=False), start=start_row + 1):
        for c, (name, value) in enumerate(zip(frame.columns, record, strict=True), start=1):
            cell = set_cell(ws, r, c, value)
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = formats.get(str(name), _default_format(cell.value))


def _default_format(value: float) -> str:
    return "#,##0" if float(value).is_integer() else "#,##0.00"


def set_cell(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ws.cell(row, column)
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    cell = ws.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"  # text from the input is never a formula
    return cell


class Looks:
    """The cell formats of a sheet's many like cells, each made once: the first cell of a
    look is formatted through openpyxl, every other one gets a copy of its style record
    (as openpyxl's own sheet copier does). openpyxl hashes a border, fill or alignment
    again on every assignment: a third of a county report's time went there."""

    def __init__(self) -> None:
        self._made: dict[Hashable, Any] = {}

    def dress(self, cell: Any, look: Hashable, **formats: Any) -> None:
        """Give ``cell`` (a cell not formatted otherwise) the formats named ``look``: the
        same ``formats`` every time for one name."""
        made = self._made.get(look)
        if made is not None:
            cell._style = copy(made)
            return
        for name, value in formats.items():
            setattr(cell, name, value)
        self._made[look] = copy(cell._style)


def fit_columns(ws: Worksheet) -> None:
    """Widths from the values; header cells wrap (a long header does not widen a column)."""
    widths: dict[int, int] = {}
    headers = {c.coordinate for c in ws[1]} if ws.freeze_panes else set()
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            if cell.coordinate in headers:
                widths[cell.column] = max(widths.get(cell.column, 0), min(10, len(str(cell.value))))
                continue
            text = str(cell.value) if not isinstance(cell.value, float) else f"{cell.value:,.4f}"
            widths[cell.column] = max(widths.get(cell.column, 0), display_width(text))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, max(8, width + 2))


def set_widths(ws: Worksheet, widths: dict[str, int]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def landscape_fit_width(ws: Worksheet) -> None:
    """Print landscape A4, one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def print_setup(ws: Worksheet) -> None:
    """Landscape, one page wide, a frozen header row repeated on every page."""
    landscape_fit_width(ws)
    if ws.freeze_panes:
        ws.print_title_rows = "1:1"
