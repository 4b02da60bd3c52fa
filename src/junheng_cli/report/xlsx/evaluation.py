"""The Excel report the analyst hands to the 督导 office: summary, the official CV table,
every school against its standard, the gap list, data findings, excluded schools, and
native Excel charts. Numbers are stored as numbers with number formats; input text never
becomes a formula."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from junheng_cli import __version__
from junheng_cli.compute.headline import headline_of
from junheng_cli.io.collector import collector_on_new_objects
from junheng_cli.io.digest import sha256_of
from junheng_cli.io.write import display_width, write_atomic
from junheng_cli.model.results import Evaluation
from junheng_cli.report.frames.evaluation import (
    allowance_frame,
    cv_frame,
    excluded_frame,
    findings_frame,
    gap_frame,
    gap_totals_frame,
    school_frame,
    summary_rows,
)
from junheng_cli.report.frames.inequality import theil_frame, theil_groups_frame, theil_notes
from junheng_cli.report.wording import CHECK_STATUS, FAILED, PASSED
from junheng_cli.report.xlsx.common import (
    AMBER,
    GREEN,
    HEADER_FILL,
    RED,
    fit_columns,
    frame_sheet,
    print_setup,
    set_cell,
    set_widths,
    write_frame,
)
from junheng_cli.report.xlsx.evaluation_charts import add_charts
from junheng_cli.report.xlsx.inspector import (
    CV_SHEET,
    attainment_sheet,
    attainment_sheet_name,
    cv_statistics_sheet,
)


def write_xlsx(evaluation: Evaluation, target: Path, inputs: list[Path]) -> None:
    with collector_on_new_objects():  # the workbook's cycles, not all that exists already
        _write_xlsx(evaluation, target, inputs)


def _write_xlsx(evaluation: Evaluation, target: Path, inputs: list[Path]) -> None:
    county = county_name(inputs)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _summary(workbook.create_sheet("汇总"), evaluation, inputs)
    _cv_sheet(workbook.create_sheet("差异系数"), evaluation)
    cv_statistics_sheet(workbook.create_sheet(CV_SHEET), evaluation, county)
    _inequality_sheet(workbook.create_sheet("差距来源"), evaluation)
    schools = school_frame(evaluation)
    ws = workbook.create_sheet("学校达标")
    frame_sheet(ws, schools, {"分得比例": "0.00%"})
    _status_colours(ws, schools)
    for level in evaluation.levels:
        sheet = workbook.create_sheet(attainment_sheet_name(level.name))
        attainment_sheet(sheet, evaluation, level, county)
    _gaps(workbook.create_sheet("补短板清单"), evaluation)
    if evaluation.allowance_uses:  # 按规程: strict and allowed figures side by side
        frame_sheet(workbook.create_sheet("按规程"), allowance_frame(evaluation), {})
    frame_sheet(workbook.create_sheet("数据问题"), findings_frame(evaluation.findings), {})
    frame_sheet(workbook.create_sheet("排除学校"), excluded_frame(evaluation), {})
    add_charts(workbook, evaluation)
    write_atomic(target, lambda tmp: workbook.save(tmp))


def county_name(inputs: list[Path]) -> str:
    """The county as the titles name it: the one input's name (示例县2026.xlsx → 示例县2026);
    nothing when several files were merged."""
    return inputs[0].stem if len(inputs) == 1 else ""


SUMMARY_WIDTHS = {"A": 24, "B": 70, "C": 12, "D": 12}


def _summary(ws: Worksheet, evaluation: Evaluation, inputs: list[Path]) -> None:
    """The headline and the bill first, the worst schools, then the data facts and the run."""
    ws.append([f"{evaluation.standard.name} 评估报告"])
    ws["A1"].font = Font(bold=True, size=14)
    _headline(ws, evaluation)
    if evaluation.standard.example:
        ws.append(["注意：示例标准文件，数值未经正式文件核实，结果仅供演示"])
        ws.cell(ws.max_row, 1).font = Font(bold=True, color="9C5700")
    _blank(ws)
    ws.append(["结论与数据"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    for label, value in summary_rows(evaluation):
        _append(ws, [label, value])
        cell = ws.cell(ws.max_row, 2)
        cell.alignment = Alignment(horizontal="left")
        if isinstance(value, float):
            cell.number_format = "0.0000"
    _blank(ws)
    ws.append(["运行信息"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    manifest: list[list[Any]] = [
        ["junheng 版本", __version__],
        ["评估标准 id", evaluation.standard.id],
        ["评估标准版本", evaluation.standard.version],
        ["生成日期", date.today().isoformat()],
    ]
    for path in inputs:
        manifest.append(["输入文件夹" if path.is_dir() else "输入文件", str(path)])
        manifest.append(["sha256", sha256_of(path)])
    for row in manifest:
        _append(ws, row)
    set_widths(ws, SUMMARY_WIDTHS)
    print_setup(ws)


def _headline(ws: Worksheet, evaluation: Evaluation) -> None:
    """The verdict and the bill as sentences over the width of the sheet; the bill as rows
    (numbers, the unit in the number format); the units with the largest shortfall."""
    headline = headline_of(evaluation)
    colour = "006100" if headline.passed else "9C0006" if headline.passed is False else "000000"
    _sentence(ws, headline.verdict, Font(bold=True, size=12, color=colour))
    if headline.bill_text:
        _sentence(ws, headline.bill_text, Font(size=11))
    if headline.bill:
        _blank(ws)
        _append(ws, ["补短板清单：使每所学校各项指标达到标准，全县需补充（各校差距之和）"])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        _header_row(ws, ["需补充", "数量", "涉及学校"])
        for item in headline.bill:
            yuan = item.unit == "元"
            _append(ws, [item.what, item.amount / 10_000 if yuan else item.amount, item.schools])
            amount = ws.cell(ws.max_row, 2)
            unit = "万元" if yuan else item.unit
            places = "0.00" if yuan or not float(item.amount).is_integer() else "0"
            amount.number_format = f'#,##{places} "{unit}"'
            amount.alignment = Alignment(horizontal="left")
            ws.cell(ws.max_row, 3).number_format = '0 "所"'
    if headline.worst:
        failing = sum(1 for u in evaluation.units if u.passed is False)
        _blank(ws)
        _append(ws, [f"差距最大的 {len(headline.worst)} 个学段单位（共 {failing} 个未达标）"])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        _header_row(ws, ["学校", "未达标的指标", "学段", "达标项"])
        for w in headline.worst:
            _append(ws, [w.name, "、".join(w.below), w.level, f"{w.met}/{w.indicators}"])
        more = f"另有 {failing - len(headline.worst)} 个未达标，见“学校达标”工作表。"
        rule = f"排序：{headline.worst_rule}。" + (more if failing > len(headline.worst) else "")
        _append(ws, [rule])
        ws.cell(ws.max_row, 1).font = Font(size=9, color="666666")


def _blank(ws: Worksheet) -> None:
    ws.cell(ws.max_row + 1, 1)  # an empty row that the next ``_append`` goes below


def _sentence(ws: Worksheet, text: str, font: Font) -> None:
    """One sentence merged over columns A–D, wrapped, its row tall enough for the lines."""
    row = ws.max_row + 1
    set_cell(ws, row, 1, text).font = font
    ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    lines = math.ceil(display_width(text) * 1.1 / sum(SUMMARY_WIDTHS.values()))
    ws.row_dimensions[row].height = 17 * max(1, lines) + 4


def _header_row(ws: Worksheet, names: list[str]) -> None:
    _append(ws, names)
    for c in range(1, len(names) + 1):
        cell = ws.cell(ws.max_row, c)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


def _append(ws: Worksheet, values: list[Any]) -> None:
    row = ws.max_row + 1 if ws.max_row > 1 or ws["A1"].value is not None else 1
    for c, value in enumerate(values, start=1):
        set_cell(ws, row, c, value)


def _cv_sheet(ws: Worksheet, evaluation: Evaluation) -> None:
    """Means and SDs in each indicator's own precision; coefficients and limits to 4 places."""
    frame = cv_frame(evaluation)
    frame_sheet(ws, frame, {})
    decimals = {ind.name: ind.decimals for ind in evaluation.standard.indicators}
    for r in range(2, ws.max_row + 1):
        coefficient = ws.cell(r, 2).value in ("差异系数", "限值")
        for c, name in enumerate(frame.columns, start=1):
            cell = ws.cell(r, c)
            if isinstance(cell.value, int | float):
                places = 4 if coefficient or name == "综合" else decimals.get(str(name), 2)
                cell.number_format = "#,##0" + ("." + "0" * places if places else "")


THEIL_FORMATS = {
    "泰尔指数": "0.0000",
    "组间": "0.0000",
    "组内": "0.0000",
    "组间占比": "0.0%",
    "组内泰尔指数": "0.0000",
    "在校生数": "#,##0",
    "单位数": "#,##0",
}


def _inequality_sheet(ws: Worksheet, evaluation: Evaluation) -> None:
    ws.append(["差距来源：泰尔指数按城乡类型、所在乡镇分解（泰尔指数 = 组间 + 组内）"])
    ws["A1"].font = Font(bold=True)
    for note in [*theil_notes(evaluation), "组间占比 ≥ 50% 即差距主要在组间（城乡之间、乡镇之间）"]:
        ws.append([note])
    write_frame(ws, theil_frame(evaluation), THEIL_FORMATS, ws.max_row + 1)
    ws.append([])
    ws.append(["各组：单位数、在校生数、组均值（按在校生加权）和组内泰尔指数"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    write_frame(ws, theil_groups_frame(evaluation), THEIL_FORMATS, ws.max_row + 1)
    fit_columns(ws)
    set_widths(ws, {"A": 8})  # the titles in column A run on into the empty cells beside them
    print_setup(ws)


def _gaps(ws: Worksheet, evaluation: Evaluation) -> None:
    if not evaluation.standard.judges_schools:
        ws.append(["所选标准没有逐校标准值，没有补短板清单。"])
        return
    ws.append(["全县合计：使每所学校每项指标都达到标准"])
    ws["A1"].font = Font(bold=True)
    totals = gap_totals_frame(evaluation)
    write_frame(ws, totals, {"全县需补充": "#,##0", "万元": "#,##0.00"}, start_row=2)
    ws.append([])
    ws.append(["各校需补充（每项指标内由多到少；一贯制学校的校舍、场地、设备按全校计）"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    write_frame(ws, gap_frame(evaluation), {"需补充": "#,##0", "万元": "#,##0.00"}, ws.max_row + 1)
    fit_columns(ws)
    print_setup(ws)


def _status_colours(ws: Worksheet, frame: pd.DataFrame) -> None:
    last = ws.max_row
    for c, name in enumerate(frame.columns, start=1):
        if not (str(name).endswith("状态") or name == "是否达标"):
            continue
        letter = get_column_letter(c)
        cells = f"{letter}2:{letter}{last}"
        first = f"{letter}2"
        for text, fill in (
            (CHECK_STATUS["below"], RED),
            (CHECK_STATUS["near"], AMBER),
            (FAILED, RED),
            (PASSED, GREEN),
        ):
            ws.conditional_formatting.add(
                cells, FormulaRule(formula=[f'{first}="{text}"'], fill=fill, stopIfTrue=True)
            )
