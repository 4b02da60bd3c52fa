"""Write the collection workbooks with openpyxl: the fill-in template (学校 + 填表说明), the
copies pre-filled per school, and the merged county workbook (学校 + 收集情况).

The 学校 sheet is the same in all three: template headers with units (the required ones
orange), dropdowns for 学校类型 and 城乡类型, whole numbers ≥ 0 for counts and decimals ≥ 0
for areas and money (with Chinese prompts and error messages), the header frozen. Text from
a school's file is always written as text, never as a formula.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from junheng_cli import __version__
from junheng_cli.io.write import display_width, write_atomic
from junheng_cli.report.xlsx.common import HEADER_FILL, landscape_fit_width, set_cell
from junheng_cli.workflows.collect import (
    ACCOUNT_SHEET,
    ATTENTION,
    SOURCE_COLUMNS,
    Collection,
    Entry,
    Status,
)
from junheng_cli.workflows.template import (
    BY_LEVEL,
    DATA_SHEET,
    INSTRUCTIONS_SHEET,
    REQUIRED,
    Template,
    TemplateColumn,
    example_frame,
    school_types,
    template_column,
)

REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
STATUS_FILLS = {
    "attention": PatternFill("solid", fgColor="FFC7CE"),
    "merged": PatternFill("solid", fgColor="C6EFCE"),
    "info": PatternFill("solid", fgColor="EDEDED"),
}
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
LAST_ROW = 1_048_576  # validations cover the whole column: rows a school adds are checked too
NUMBER_FORMATS = {"㎡": "0.00", "元": "#,##0.00"}  # counts: "0"
WIDTHS = {"code": 14, "name": 30, "type": 16, "township": 12, "area_type": 10}
HEADER_ROW_HEIGHT = 48
LINE_HEIGHT = 16
INSTRUCTION_WIDTHS = (28, 8, 18, 50, 32)
ACCOUNT_HEADERS = ("情况", "文件", "工作表", "行", "学校标识码", "学校名称", "说明")
ACCOUNT_WIDTHS = (16, 30, 10, 7, 14, 24, 70)
ROW_COLUMN = ACCOUNT_HEADERS.index("行") + 1
CENTRED = Alignment(wrap_text=True, vertical="center", horizontal="center")


# -- entry points -----------------------------------------------------------------------------
def write_template(template: Template, target: Path) -> None:
    """The fill-in workbook (or one school's pre-filled copy), written atomically."""
    workbook = template_workbook(template)
    write_atomic(target, lambda tmp: workbook.save(tmp))


def write_templates(
    items: list[tuple[Path, Template]], advance: Callable[[], None] = lambda: None
) -> None:
    """Many templates that share a layout (the pre-filled copies, one per school): the
    workbook is built once and only the school rows change from one file to the next."""
    layout: Template | None = None
    workbook = Workbook()
    for target, template in items:
        blank = replace(template, rows=[], blank_rows=template.blank_rows + len(template.rows))
        if blank != layout:
            layout, workbook = blank, template_workbook(blank)
        ws = workbook[DATA_SHEET]
        _write_rows(ws, template.columns, template.rows)
        write_atomic(target, workbook.save)
        _write_rows(ws, template.columns, template.rows, clear=True)
        advance()


def template_workbook(template: Template) -> Workbook:
    workbook = Workbook()
    workbook.properties.title = template.title
    workbook.properties.creator = f"junheng {__version__}"
    ws = workbook.active
    ws.title = DATA_SHEET
    _data_sheet(ws, template.columns, template.rows, template)
    _instructions_sheet(workbook.create_sheet(INSTRUCTIONS_SHEET), template)
    return workbook


def write_collection(collection: Collection, target: Path) -> None:
    """The merged county workbook: 学校 (template headers + 来源文件/来源工作表/来源行) and
    收集情况 (every file and row with what happened to it)."""
    workbook = Workbook()
    workbook.properties.creator = f"junheng {__version__}"
    ws = workbook.active
    ws.title = DATA_SHEET
    columns = [template_column(c, collection.standard) for c in collection.columns]
    layout = Template(
        standard=collection.standard,
        columns=columns,
        school_types=school_types(collection.standard),
        instructions=[],
        blank_rows=0,
    )
    rows = collection.merged.to_dict("records")
    _data_sheet(ws, columns, rows, layout, SOURCE_COLUMNS)
    ws.auto_filter.ref = ws.dimensions
    _account_sheet(workbook.create_sheet(ACCOUNT_SHEET), collection.entries)
    write_atomic(target, lambda tmp: workbook.save(tmp))


# -- the 学校 sheet ----------------------------------------------------------------------------
def _data_sheet(
    ws: Worksheet,
    columns: list[TemplateColumn],
    rows: list[dict[str, Any]],
    template: Template,
    extra: tuple[str, ...] = (),
) -> None:
    _header_row(ws, [c.header for c in columns] + list(extra), columns)
    _write_rows(ws, columns, rows, extra=extra)
    last = 1 + len(rows) + template.blank_rows
    for c, column in enumerate(columns, start=1):
        _format_column(ws, c, column, last)
        ws.add_data_validation(_validation(column, get_column_letter(c), template))
    for c in range(len(columns) + 1, len(columns) + len(extra) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 24
    names = [c.name for c in columns]
    freeze = names.index("name") + 2 if "name" in names else 1
    ws.freeze_panes = f"{get_column_letter(freeze)}2"
    ws.print_title_rows = "1:1"
    landscape_fit_width(ws)


def _header_row(ws: Worksheet, headers: list[str], columns: list[TemplateColumn]) -> None:
    needs = [c.need for c in columns] + [""] * (len(headers) - len(columns))
    for c, (header, need) in enumerate(zip(headers, needs, strict=True), start=1):
        cell = ws.cell(row=1, column=c, value=header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if need in (REQUIRED, BY_LEVEL) else HEADER_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = BORDER
    ws.row_dimensions[1].height = HEADER_ROW_HEIGHT


def _write_rows(
    ws: Worksheet,
    columns: list[TemplateColumn],
    rows: list[dict[str, Any]],
    extra: tuple[str, ...] = (),
    clear: bool = False,
) -> None:
    names = [c.name for c in columns] + list(extra)
    for r, record in enumerate(rows, start=2):
        for c, name in enumerate(names, start=1):
            if clear:
                ws.cell(row=r, column=c).value = None
            else:
                _put(ws, r, c, record.get(name))


def _put(ws: Worksheet, row: int, column: int, value: Any) -> None:
    if value is not None and value != "":
        set_cell(ws, row, column, value)  # text never becomes a formula


def _format_column(ws: Worksheet, index: int, column: TemplateColumn, last: int) -> None:
    """Width, and the number format for the whole column (as far as the validation goes:
    a row a school adds below the bordered ones keeps 学校标识码 as text); the rows written
    get a border too."""
    letter = get_column_letter(index)
    width = WIDTHS.get(column.name, max(9, min(16, display_width(column.header) // 2 + 3)))
    ws.column_dimensions[letter].width = width
    number_format = _number_format(column)
    ws.column_dimensions[letter].number_format = number_format
    for row in range(2, last + 1):
        cell = ws.cell(row=row, column=index)
        cell.border = BORDER
        cell.number_format = number_format


def _number_format(column: TemplateColumn) -> str:
    if column.kind == "text":
        return "@"  # a 10-digit 学校标识码 stays text, never 2.1E+09
    if column.kind == "count":
        return "0"
    return NUMBER_FORMATS.get(column.unit, "General")


def _validation(column: TemplateColumn, letter: str, template: Template) -> DataValidation:
    lists = {"type": template.school_types, "area_type": list(template.area_types)}
    if column.name in lists:
        values = lists[column.name]
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            error=_limit(f"请从下拉列表中选择：{'、'.join(values)}", 225),
        )
    elif column.kind == "count":
        validation = DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            error=f"“{column.header}”请填写不小于 0 的整数",
        )
    elif column.kind == "number":
        validation = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            error=f"“{column.header}”请填写不小于 0 的数字（单位：{column.unit}）",
        )
    else:
        validation = DataValidation()  # any value: only the prompt
    validation.allow_blank = True
    validation.showErrorMessage = True
    validation.errorTitle = "填写有误"
    validation.showInputMessage = True
    validation.promptTitle = _limit(column.header, 32)
    validation.prompt = _limit(f"{column.need}。{column.note}", 255)
    validation.add(f"{letter}2:{letter}{LAST_ROW}")
    return validation


def _limit(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# -- 填表说明 ----------------------------------------------------------------------------------
def _instructions_sheet(ws: Worksheet, template: Template) -> None:
    for i, width in enumerate(INSTRUCTION_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    span = len(INSTRUCTION_WIDTHS)
    _paragraph(ws, 1, template.title, Font(bold=True, size=14), span)
    _paragraph(ws, 2, INSTRUCTIONS_SHEET, Font(bold=True), span)
    row = 3
    for number, line in enumerate(template.instructions, start=1):
        _paragraph(ws, row, f"{number}. {line}", None, span)
        row += 1
    _paragraph(ws, row + 1, "各列说明（表头为橙色的列必填）", Font(bold=True), span)
    table = example_frame(template)
    first = row + 2
    # Every cell of this table is filled: an empty cell would let the header detection carry
    # the header text on its left into it, and two template headers side by side could make
    # this sheet look like a sheet of schools.
    for c, header in enumerate(table.columns, start=1):
        cell = ws.cell(row=first, column=c, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = BORDER
    for r, record in enumerate(table.itertuples(index=False), start=first + 1):
        for c, value in enumerate(record, start=1):
            cell = ws.cell(row=r, column=c, value="—" if value in (None, "") else value)
            if isinstance(cell.value, str):
                cell.data_type = "s"
            cell.alignment = WRAP
            cell.border = BORDER
    landscape_fit_width(ws)


def _paragraph(ws: Worksheet, row: int, text: str, font: Font | None, span: int) -> None:
    """One line of text across the table's width, wrapped, the row tall enough for it."""
    cell = ws.cell(row=row, column=1, value=text)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if font is not None:
        cell.font = font
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    lines = math.ceil(display_width(text) / (sum(INSTRUCTION_WIDTHS) - 4))
    large = font is not None and (font.sz or 11) > 11
    ws.row_dimensions[row].height = max(1, lines) * LINE_HEIGHT + (8 if large else 0)


# -- 收集情况 ----------------------------------------------------------------------------------
def _account_sheet(ws: Worksheet, entries: list[Entry]) -> None:
    for c, (header, width) in enumerate(zip(ACCOUNT_HEADERS, ACCOUNT_WIDTHS, strict=True), 1):
        cell = ws.cell(row=1, column=c, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, entry in enumerate(entries, start=2):
        values = (
            entry.status.value,
            entry.file,
            entry.sheet,
            entry.row,
            entry.code,
            entry.name,
            entry.detail,
        )
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value)
            ws.cell(row=r, column=c).border = BORDER
            # 行 centred, so that its number does not run into the code beside it
            ws.cell(row=r, column=c).alignment = CENTRED if c == ROW_COLUMN else WRAP
        ws.cell(row=r, column=1).fill = STATUS_FILLS[_status_kind(entry.status)]
        lines = max(
            math.ceil(display_width(str(v)) / (width - 2))
            for v, width in zip(values, ACCOUNT_WIDTHS, strict=True)
            if v not in (None, "")
        )
        if lines > 1:  # Excel does not grow a row for wrapped text written by a program
            ws.row_dimensions[r].height = lines * LINE_HEIGHT
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    landscape_fit_width(ws)


def _status_kind(status: Status) -> str:
    if status in ATTENTION:
        return "attention"
    return "merged" if status is Status.MERGED else "info"
