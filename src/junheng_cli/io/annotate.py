"""Write an annotated copy of a workbook: bad cells filled and commented, plus a problem list.

The input file is never modified. ``.xlsx``/``.xlsm`` sources are copied with their styles
(VBA is dropped, the copy is always ``.xlsx``); other sources (``.csv``, ``.xls``, ``.ods``)
are rebuilt from the rows the reader gave, then annotated the same way.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from junheng_cli.io.guard import same_file
from junheng_cli.io.write import atomic_path, display_width

Severity = Literal["error", "warning"]

OPENPYXL_SUFFIXES = (".xlsx", ".xlsm")
PROBLEM_SHEET = "问题清单"
AUTHOR = "junheng"
ERROR_COLOR = "FFC7CE"
WARNING_COLOR = "FFEB9C"
MAX_SHEET_TITLE = 31
MAX_CELL_CHARS = 32767
MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 8
COMMENT_WIDTH_PX = 280
COMMENT_UNITS_PER_LINE = 44  # display units (CJK = 2) that fit on one comment line
COMMENT_LINE_PX = 16
COMMENT_MIN_HEIGHT_PX = 60
COMMENT_MAX_HEIGHT_PX = 480
INVALID_TITLE_CHARS = "[]:*?/\\"

HEADERS = {
    "zh": ("级别", "代码", "工作表", "单元格", "列名", "值", "问题", "建议"),
    "en": ("Level", "Code", "Sheet", "Cell", "Header", "Value", "Message", "Hint"),
}
SEVERITY_LABELS = {
    "zh": {"error": "错误", "warning": "警告"},
    "en": {"error": "error", "warning": "warning"},
}
HINT_PREFIX = {"zh": "建议：", "en": "Hint: "}
OLD_COMMENT_PREFIX = {"zh": "原批注：", "en": "Original comment: "}

Coordinate = tuple[str, int, int]  # sheet, row, column index (1-based)


@dataclass(frozen=True)
class CellNote:
    """One problem found in the source workbook, located as precisely as known."""

    sheet: str
    row: int | None
    column: str | None
    severity: Severity
    code: str
    message: str
    hint: str
    header: str | None = None
    value: object = None


def write_annotated(
    source: Path,
    target: Path,
    notes: Sequence[CellNote],
    rows_by_sheet: Mapping[str, list[list[object]]] | None = None,
    lang: str = "zh",
) -> None:
    """Write ``target``: a copy of ``source`` with every located note highlighted and
    commented, and a last sheet 问题清单 listing every note in order.

    ``rows_by_sheet`` (sheet name → rows from A1) is required when ``source`` is not an
    ``.xlsx``/``.xlsm`` file, since then the copy is rebuilt from those rows.
    """
    _refuse_overwrite(source, target)
    lang = lang if lang in HEADERS else "zh"
    workbook, sheets = _open_copy(source, rows_by_sheet)
    _annotate(sheets, notes, lang)
    _add_problem_sheet(workbook, notes, lang)
    with atomic_path(target) as tmp:
        workbook.save(tmp)


# -- opening -------------------------------------------------------------------------------


def _refuse_overwrite(source: Path, target: Path) -> None:
    if same_file(source, target):
        raise ValueError(f"拒绝覆盖输入文件：标注副本不能写回原文件 {source}，请换一个输出路径")


def _open_copy(
    source: Path, rows_by_sheet: Mapping[str, list[list[object]]] | None
) -> tuple[Workbook, dict[str, Worksheet]]:
    """The workbook to annotate and its sheets by their name in the source."""
    if source.suffix.lower() in OPENPYXL_SUFFIXES:
        workbook = load_workbook(source, keep_vba=False)
        workbook.template = False
        return workbook, {ws.title: ws for ws in workbook.worksheets}
    if rows_by_sheet is None:
        raise ValueError(
            f"{source.name}：{source.suffix or '无扩展名'} 文件无法直接复制格式，"
            "需要提供各工作表的单元格内容（rows_by_sheet）"
        )
    return _build_from_rows(rows_by_sheet)


def _build_from_rows(
    rows_by_sheet: Mapping[str, list[list[object]]],
) -> tuple[Workbook, dict[str, Worksheet]]:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets: dict[str, Worksheet] = {}
    for name, rows in rows_by_sheet.items():
        ws = workbook.create_sheet(_unique_title(workbook, _safe_title(name)))
        _write_rows(ws, rows)
        sheets[name] = ws
    return workbook, sheets


def _write_rows(ws: Worksheet, rows: list[list[object]]) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            converted = _source_value(value)
            if converted is not None:
                _set_value(ws.cell(row=r, column=c), converted)


def _source_value(value: object) -> object:
    """A cell value openpyxl can store; empty values become None."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool | datetime | date | time | timedelta):
        return value
    if _is_number(value):
        return value
    return str(value)


# -- sheet titles --------------------------------------------------------------------------


def _safe_title(name: str) -> str:
    title = "".join("_" if ch in INVALID_TITLE_CHARS else ch for ch in str(name))
    title = title.strip("'")[:MAX_SHEET_TITLE]
    return title or "Sheet"


def _unique_title(workbook: Workbook, base: str) -> str:
    taken = {name.casefold() for name in workbook.sheetnames}
    if base.casefold() not in taken:
        return base
    n = 2
    while True:
        suffix = str(n)
        candidate = base[: MAX_SHEET_TITLE - len(suffix)] + suffix
        if candidate.casefold() not in taken:
            return candidate
        n += 1


# -- highlighting --------------------------------------------------------------------------


def _annotate(sheets: Mapping[str, Worksheet], notes: Sequence[CellNote], lang: str) -> None:
    for (sheet, row, column), cell_notes in _group_by_cell(sheets, notes).items():
        cell = _anchor_cell(sheets[sheet], row, column)
        cell.fill = _fill_for(cell_notes)
        cell.comment = _comment_for(cell_notes, cell.comment, lang)


def _group_by_cell(
    sheets: Mapping[str, Worksheet], notes: Sequence[CellNote]
) -> dict[Coordinate, list[CellNote]]:
    groups: dict[Coordinate, list[CellNote]] = {}
    for note in notes:
        coordinate = _coordinate(note)
        if coordinate is not None and note.sheet in sheets:
            groups.setdefault(coordinate, []).append(note)
    return groups


def _coordinate(note: CellNote) -> Coordinate | None:
    """(sheet, row, column index) of a note located on one cell, else None."""
    if note.row is None or note.column is None or note.row < 1:
        return None
    try:
        column = column_index_from_string(note.column.strip().upper())
    except ValueError:
        return None
    return note.sheet, note.row, column


def _anchor_cell(ws: Worksheet, row: int, column: int) -> Cell:
    """The cell itself, or the top-left cell of the merged range that covers it."""
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            return ws.cell(row=merged.min_row, column=merged.min_col)
    return ws.cell(row=row, column=column)


def _fill_for(notes: Sequence[CellNote]) -> PatternFill:
    color = ERROR_COLOR if any(n.severity == "error" for n in notes) else WARNING_COLOR
    return PatternFill(fill_type="solid", start_color=color, end_color=color)


def _comment_for(notes: Sequence[CellNote], old: Comment | None, lang: str) -> Comment:
    parts = [_note_text(note, lang) for note in notes]
    if old is not None and old.text and old.author != AUTHOR:
        parts.append(OLD_COMMENT_PREFIX[lang] + old.text)
    text = _clean_text("\n\n".join(parts))
    return Comment(text, AUTHOR, height=_comment_height(text), width=COMMENT_WIDTH_PX)


def _note_text(note: CellNote, lang: str) -> str:
    label = SEVERITY_LABELS[lang][note.severity]
    lines = [f"【{label}】{note.message}"]
    if note.hint:
        lines.append(HINT_PREFIX[lang] + note.hint)
    return "\n".join(lines)


def _comment_height(text: str) -> int:
    lines = sum(
        max(1, math.ceil(_widest_line(line) / COMMENT_UNITS_PER_LINE))
        for line in text.splitlines() or [""]
    )
    height = lines * COMMENT_LINE_PX + 10
    return max(COMMENT_MIN_HEIGHT_PX, min(COMMENT_MAX_HEIGHT_PX, height))


# -- problem list --------------------------------------------------------------------------


def _add_problem_sheet(workbook: Workbook, notes: Sequence[CellNote], lang: str) -> None:
    ws = workbook.create_sheet(_unique_title(workbook, PROBLEM_SHEET))
    headers = HEADERS[lang]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, note in enumerate(notes, start=2):
        for c, value in enumerate(_problem_row(note, lang), start=1):
            if value is not None:
                cell = _set_value(ws.cell(row=r, column=c), value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(notes) + 1)}"
    _fit_widths(ws, len(headers))
    _print_landscape_fit_width(ws)


def _print_landscape_fit_width(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _problem_row(note: CellNote, lang: str) -> list[object]:
    return [
        SEVERITY_LABELS[lang].get(note.severity, str(note.severity)),
        note.code,
        note.sheet,
        _cell_text(note) or None,
        note.header or None,
        _listed_value(note.value),
        note.message,
        note.hint or None,
    ]


def _cell_text(note: CellNote) -> str:
    """ "W3" for a cell, "3" for a whole row, "W" for a whole column, else ""."""
    column = (note.column or "").strip().upper()
    row = "" if note.row is None else str(note.row)
    return f"{column}{row}"


def _listed_value(value: object) -> object:
    """Numbers stay numbers; anything else is shown as text; nothing stays empty."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if _is_number(value) and not isinstance(value, bool):
        return value
    return str(value)


def _fit_widths(ws: Worksheet, columns: int) -> None:
    for index in range(1, columns + 1):
        widest = max(
            (
                _widest_line(_as_text(cell.value))
                for (cell,) in ws.iter_rows(min_col=index, max_col=index)
            ),
            default=0,
        )
        width = min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, widest + 2))
        ws.column_dimensions[get_column_letter(index)].width = width


# -- cells and text ------------------------------------------------------------------------


def _set_value(cell: Cell, value: object) -> Cell:
    """Store ``value``; text is always text (a leading "=" never makes a formula)."""
    if isinstance(value, str):
        cell.value = _clean_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _clean_text(text: str) -> str:
    """Without the control characters Excel refuses, and within Excel's length limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_CHARS]


def _is_number(value: object) -> bool:
    """A finite real number (numpy numbers included)."""
    if not isinstance(value, numbers.Real):
        return False
    try:
        return math.isfinite(value)
    except (TypeError, ValueError, OverflowError):
        return False


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


def _widest_line(text: str) -> int:
    """Display width of the widest line of ``text``."""
    return max((display_width(line) for line in text.splitlines()), default=0)
