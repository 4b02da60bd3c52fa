"""The inspectors' own layouts, beside the analyst's sheets: the 校际差异系数统计表 (indicators
as columns with their units, rows 全县平均值 / 标准差 / 差异系数, and the 综合差异系数) and, per
level, the 达标情况表 (基本值 | 达标值 | 实际值 | 是否达标 for every indicator). Printable: a
title, frozen headers that repeat on every page, landscape A4 fitted to the width.

Every number is read off the evaluation's result objects; nothing is computed again here."""

from __future__ import annotations

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from junheng_cli.io.write import display_width
from junheng_cli.model.results import Evaluation, IndicatorResult, LevelResult, UnitResult
from junheng_cli.report.wording import FAILED, PASSED, verdict_word
from junheng_cli.report.xlsx.common import (
    AMBER,
    GREEN,
    HEADER_FILL,
    RED,
    Looks,
    landscape_fit_width,
    set_cell,
)

CV_SHEET = "校际差异系数统计表"
STATUS_TEXT = {"met": "是", "near": "基本达标", "below": "否"}
STATUS_FILL = {"met": GREEN, "near": AMBER, "below": RED}
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
MIDDLE = Alignment(horizontal="center")
NO_FILL = PatternFill()
TITLE = Font(bold=True, size=14)


def attainment_sheet_name(level_name: str) -> str:
    return f"达标情况表（{level_name}）"


def _header(indicator: IndicatorResult) -> str:
    return f"{indicator.name}（{indicator.unit}）" if indicator.unit else indicator.name


def _places(value: float, least: int) -> int:
    """Decimal places that show ``value`` exactly (to 6 places), at least ``least``:
    基本值 3.825 needs 3 where the indicator shows 2."""
    text = f"{round(value, 6):.6f}".rstrip("0")
    return max(least, len(text.split(".")[1]) if "." in text else 0)


def _format(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


def _title(ws: Worksheet, columns: int, title: str, subtitle: str) -> None:
    ws.cell(1, 1, title).font = TITLE
    ws.cell(2, 1, subtitle).font = Font(size=10, color="404040")
    for row in (1, 2):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        ws.cell(row, 1).alignment = Alignment(horizontal="center" if row == 1 else "left")
    ws.row_dimensions[2].height = 44  # three lines of the subtitle
    ws.cell(2, 1).alignment = Alignment(wrap_text=True, vertical="top")


def _head_cell(ws: Worksheet, row: int, column: int, text: str) -> None:
    cell = ws.cell(row, column, text)
    cell.font = Font(bold=True)
    cell.fill = HEADER_FILL
    cell.alignment = CENTRE
    cell.border = BOX


def _print(ws: Worksheet, title_rows: str, footer: str) -> None:
    """Landscape A4, one page wide, the header rows on every page, name and page in the foot."""
    landscape_fit_width(ws)
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.3, right=0.3, top=0.5, bottom=0.6, footer=0.3)
    ws.oddFooter.left.text = footer.replace("&", "&&")
    ws.oddFooter.left.size = 9
    ws.oddFooter.right.text = "第 &P 页，共 &N 页"
    ws.oddFooter.right.size = 9


def _widths(ws: Worksheet, first_row: int, least: int = 6, most: int = 30) -> None:
    """Each column as wide as its widest value below the headers (CJK counted double)."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is None:
                continue
            value = cell.value
            if isinstance(value, float):
                places = cell.number_format.count("0") - 1
                text = f"{value:,.{max(places, 0)}f}"
            else:
                text = str(value)
            widths[cell.column] = max(widths.get(cell.column, 0), display_width(text))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(most, max(least, width + 2))


# -- 校际差异系数统计表 ---------------------------------------------------------------------------
def cv_statistics_sheet(ws: Worksheet, evaluation: Evaluation, county: str) -> None:
    """Per level: 全县平均值, 标准差, 差异系数, 限值 and 判定, one column per indicator (with its
    unit) and the 综合差异系数 last."""
    standard = evaluation.standard
    levels = [lv for lv in evaluation.levels if lv.schools and lv.indicators]
    indicators = levels[0].indicators if levels else []
    columns = 3 + len(indicators)
    each = standard.judgement.mode == "each"
    limits = "、".join(
        f"{lv.name} ≤ {lv.composite_limit:.2f}" for lv in levels if lv.composite_limit is not None
    )
    rule = (
        f"各项差异系数逐项判定（{limits}），综合差异系数仅报告"
        if each
        else f"判定综合差异系数（{limits}）"
    )
    _title(
        ws,
        columns,
        f"{county}义务教育学校校际差异系数统计表",
        f"评估标准：{standard.name}（{standard.id}）。差异系数 = 标准差 / 全县平均值，按在校生数"
        f"加权；综合差异系数为各项差异系数的算术平均；{rule}。",
    )
    for c, text in enumerate(
        ["学段", "项目", *(_header(i) for i in indicators), "综合差异系数"], start=1
    ):
        _head_cell(ws, 3, c, text)
    ws.row_dimensions[3].height = 62
    row = 4
    for level in levels:
        row = _cv_block(ws, row, level, each)
    if not levels:
        ws.cell(4, 1, "没有参评学校。")
    ws.freeze_panes = "C4"
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 12
    for c in range(3, columns + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16
    for r in range(4, row):
        ws.row_dimensions[r].height = 18
    _print(ws, "3:3", f"{county}义务教育学校校际差异系数统计表（{standard.name}）")


def _cv_block(ws: Worksheet, top: int, level: LevelResult, each: bool) -> int:
    last = len(level.indicators) + 3
    rows: list[tuple[str, list[float | str | None], float | str | None]] = [
        ("全县平均值", [i.mean for i in level.indicators], None),
        ("标准差", [i.sd for i in level.indicators], None),
        ("差异系数", [i.cv for i in level.indicators], level.composite_cv),
    ]
    if each:
        rows.append(("限值", [i.limit for i in level.indicators], None))
        rows.append(("判定", [verdict_word(i.passed) for i in level.indicators], None))
    else:
        rows.append(("限值", [None] * len(level.indicators), level.composite_limit))
        rows.append(("判定", [None] * len(level.indicators), verdict_word(level.cv_passed)))
    for n, (label, values, composite) in enumerate(rows):
        r = top + n
        cell = ws.cell(r, 2, label)
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
        for c, (ind, value) in enumerate(zip(level.indicators, values, strict=True), start=3):
            _cv_cell(ws, r, c, value, 4 if label in ("差异系数", "限值") else ind.decimals)
        _cv_cell(ws, r, last, composite, 4)
    first = ws.cell(top, 1, f"{level.name}\n{level.schools} 所\n在校生 {level.students:,} 人")
    first.alignment = CENTRE
    first.font = Font(bold=True)
    ws.merge_cells(start_row=top, start_column=1, end_row=top + len(rows) - 1, end_column=1)
    for r in range(top, top + len(rows)):
        for c in range(1, last + 1):
            ws.cell(r, c).border = BOX
    return top + len(rows)


def _cv_cell(ws: Worksheet, row: int, column: int, value: object, places: int) -> None:
    cell = set_cell(ws, row, column, value)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    if isinstance(value, float | int):
        cell.number_format = _format(places)
    elif value in (PASSED, FAILED):
        cell.fill = GREEN if value == PASSED else RED


# -- 达标情况表 -------------------------------------------------------------------------------
FIXED = ["序号", "学校名称", "学校类型", "在校生数"]
SUB = ["基本值", "达标值", "实际值", "是否达标"]


def attainment_sheet(
    ws: Worksheet, evaluation: Evaluation, level: LevelResult, county: str
) -> None:
    """One row per school of the level; per indicator 基本值 (85% of the standard) | 达标值 |
    实际值 | 是否达标, then 达标项数 and the school's verdict."""
    standard = evaluation.standard
    name = f"{county}{level.name}校际资源配置达标情况表"
    rule = standard.school_rule
    if rule is None:
        ws.cell(1, 1, name).font = TITLE
        ws.cell(3, 1, "所选标准没有逐校标准值（基本值、达标值），不作逐校达标判定。")
        _print(ws, "1:1", name)
        return
    units = [u for u in evaluation.units if u.level == level.level]
    indicators = level.indicators
    columns = len(FIXED) + 4 * len(indicators) + 2
    _title(
        ws,
        columns,
        name,
        f"评估标准：{standard.name}（{standard.id}）。达标值即标准值，基本值为达标值的 "
        f"{rule.floor:.0%}；学校至少 {rule.min_met} 项达到达标值、其余项不低于基本值为达标。"
        f"是否达标：是＝达到达标值；基本达标＝未达到达标值但不低于基本值；否＝低于基本值。",
    )
    for c, text in enumerate(FIXED, start=1):
        _head_cell(ws, 3, c, text)
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    for n, ind in enumerate(indicators):
        c = len(FIXED) + 1 + 4 * n
        _head_cell(ws, 3, c, _header(ind))
        ws.merge_cells(start_row=3, start_column=c, end_row=3, end_column=c + 3)
        for k, text in enumerate(SUB):
            _head_cell(ws, 4, c + k, text)
    for k, text in enumerate(["达标项数", "学校是否达标"]):
        _head_cell(ws, 3, columns - 1 + k, text)
        ws.merge_cells(
            start_row=3, start_column=columns - 1 + k, end_row=4, end_column=columns - 1 + k
        )
    for c in range(1, columns + 1):  # borders on the merged parts too
        for r in (3, 4):
            ws.cell(r, c).border = BOX
    ws.row_dimensions[3].height = 58
    if not units:
        ws.cell(5, 1, f"{level.name}没有参评学校。")
        _print(ws, "3:4", name)
        return
    places = _indicator_places(units, indicators)
    looks = Looks()
    for n, unit in enumerate(units, start=1):
        _school_row(ws, 4 + n, n, unit, indicators, places, looks)
    _widths(ws, 5, least=7)  # before the totals row, whose verdict cell wraps
    _total_row(ws, 5 + len(units), units, level, indicators)
    ws.freeze_panes = "C5"
    ws.column_dimensions["A"].width = 6
    _print(ws, "3:4", name + f"（{standard.name}）")


def _indicator_places(units: list[UnitResult], indicators: list[IndicatorResult]) -> list[int]:
    """Per indicator, enough places for its 基本值 (3.825) and at least the indicator's own."""
    places = []
    for ind in indicators:
        floors = [c.floor for u in units for c in u.checks if c.indicator == ind.id]
        places.append(max([_places(f, ind.decimals) for f in floors] or [ind.decimals]))
    return places


def _school_row(
    ws: Worksheet,
    row: int,
    number: int,
    unit: UnitResult,
    indicators: list[IndicatorResult],
    places: list[int],
    looks: Looks,
) -> None:
    for c, value in enumerate([number, unit.name, unit.type], start=1):
        looks.dress(set_cell(ws, row, c, value), "box", border=BOX)
    students = set_cell(ws, row, 4, unit.students)
    looks.dress(students, "students", border=BOX, number_format="#,##0")
    checks = {c.indicator: c for c in unit.checks}
    for n, ind in enumerate(indicators):
        c = len(FIXED) + 1 + 4 * n
        check = checks.get(ind.id)
        if check is None:
            for k in range(4):
                looks.dress(ws.cell(row, c + k), "box", border=BOX)
            continue
        figure = _format(places[n])
        for k, value in enumerate([check.floor, check.threshold, check.value]):
            cell = set_cell(ws, row, c + k, value)
            looks.dress(cell, ("figure", figure), number_format=figure, border=BOX)
        if check.allowance is not None and check.strict_value is not None:
            ws.cell(row, c + 2).comment = Comment(
                f"{check.allowance}\n严格口径：{check.strict_value:,.{places[n]}f}", "junheng"
            )
        status = ws.cell(row, c + 3, STATUS_TEXT[check.status])
        looks.dress(
            status,
            ("status", check.status),
            fill=STATUS_FILL[check.status],
            alignment=MIDDLE,
            border=BOX,
        )
    met = set_cell(ws, row, len(FIXED) + 4 * len(indicators) + 1, unit.met)
    looks.dress(met, "met", alignment=MIDDLE, border=BOX)
    verdict = ws.cell(row, len(FIXED) + 4 * len(indicators) + 2, verdict_word(unit.passed))
    fill = GREEN if unit.passed else RED if unit.passed is False else NO_FILL
    looks.dress(verdict, ("verdict", unit.passed), fill=fill, alignment=MIDDLE, border=BOX)


def _total_row(
    ws: Worksheet,
    row: int,
    units: list[UnitResult],
    level: LevelResult,
    indicators: list[IndicatorResult],
) -> None:
    """达标校数 per indicator (counted from the checks), and the level's own school counts."""
    label = ws.cell(row, 1, "达标校数")
    label.font = Font(bold=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(FIXED))
    for n, ind in enumerate(indicators):
        c = len(FIXED) + 1 + 4 * n
        met = sum(1 for u in units for k in u.checks if k.indicator == ind.id and k.status == "met")
        cell = ws.cell(row, c + 3, met)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    last = len(FIXED) + 4 * len(indicators) + 2
    if level.schools_passed is not None:
        cell = ws.cell(
            row, last, f"达标 {level.schools_passed} 所，未达标 {level.schools_failed} 所"
        )
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
        ws.row_dimensions[row].height = 30
    for c in range(1, last + 1):
        ws.cell(row, c).border = BOX
