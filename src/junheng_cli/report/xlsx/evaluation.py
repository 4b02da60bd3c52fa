"""The Excel report the analyst hands to the 督导 office: summary, the official CV table,
every school against its standard, the gap list, data findings, excluded schools, and native
Excel charts. Numbers are stored as numbers with number formats; input text never becomes a
formula."""

from __future__ import annotations

import hashlib
import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RichTextProperties,
)
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from junheng_cli import __version__
from junheng_cli.compute.headline import headline_of
from junheng_cli.io.write import display_width, write_atomic
from junheng_cli.model.results import Evaluation, LevelResult
from junheng_cli.report.charts import SchoolChart, school_charts
from junheng_cli.report.frames import (
    allowance_table,
    cv_table,
    excluded_table,
    findings_table,
    gap_table,
    gap_totals_table,
    school_table,
    summary_rows,
    theil_groups_table,
    theil_notes,
    theil_table,
)

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GREEN = PatternFill("solid", fgColor="C6EFCE")
AMBER = PatternFill("solid", fgColor="FFEB9C")
RED = PatternFill("solid", fgColor="FFC7CE")
MAX_WIDTH = 50


def write_xlsx(evaluation: Evaluation, target: Path, inputs: list[Path]) -> None:
    from junheng_cli.report.xlsx.inspector import (
        CV_SHEET,
        attainment_sheet,
        attainment_sheet_name,
        cv_statistics_sheet,
    )

    county = county_name(inputs)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _summary(workbook.create_sheet("汇总"), evaluation, inputs)
    _cv_sheet(workbook.create_sheet("差异系数"), evaluation)
    cv_statistics_sheet(workbook.create_sheet(CV_SHEET), evaluation, county)
    _inequality_sheet(workbook.create_sheet("差距来源"), evaluation)
    schools = school_table(evaluation)
    ws = workbook.create_sheet("学校达标")
    frame_sheet(ws, schools, {"分得比例": "0.00%"})
    _status_colours(ws, schools)
    for level in evaluation.levels:
        sheet = workbook.create_sheet(attainment_sheet_name(level.name))
        attainment_sheet(sheet, evaluation, level, county)
    _gaps(workbook.create_sheet("补短板清单"), evaluation)
    if evaluation.allowance_uses:  # 按规程: strict and allowed figures side by side
        frame_sheet(workbook.create_sheet("按规程"), allowance_table(evaluation), {})
    frame_sheet(workbook.create_sheet("数据问题"), findings_table(evaluation.findings), {})
    frame_sheet(workbook.create_sheet("排除学校"), excluded_table(evaluation), {})
    _charts(workbook, evaluation)
    write_atomic(target, lambda tmp: workbook.save(tmp))


def county_name(inputs: list[Path]) -> str:
    """The county as the titles name it: the one input's name (示例县2026.xlsx → 示例县2026);
    nothing when several files were merged."""
    return inputs[0].stem if len(inputs) == 1 else ""


def write_frames(frames: dict[str, pd.DataFrame], target: Path) -> None:
    """Plain report sheets: bold frozen headers, number formats, landscape fitted to width."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in frames.items():
        formats = {c: "0.0000" for c in frame.columns if "差异系数" in str(c)}
        frame_sheet(workbook.create_sheet(name), frame, formats)
    write_atomic(target, lambda tmp: workbook.save(tmp))


# -- sheets ------------------------------------------------------------------------------------
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


def sha256_of(path: Path) -> str:
    """A file's sha256; a folder's (statistics exports: one workbook per school) over every
    file in it, each as its path inside the folder and then its bytes, in order."""
    from junheng_cli.io.guard import folder_files

    digest = hashlib.sha256()
    for file in folder_files(path) if path.is_dir() else [path]:
        if file != path:
            digest.update(file.relative_to(path).as_posix().encode("utf-8", "replace") + b"\0")
        with file.open("rb") as handle:
            for block in iter(lambda handle=handle: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _cv_sheet(ws: Worksheet, evaluation: Evaluation) -> None:
    """Means and SDs in each indicator's own precision; coefficients and limits to 4 places."""
    frame = cv_table(evaluation)
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
    write_frame(ws, theil_table(evaluation), THEIL_FORMATS, ws.max_row + 1)
    ws.append([])
    ws.append(["各组：单位数、在校生数、组均值（按在校生加权）和组内泰尔指数"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    write_frame(ws, theil_groups_table(evaluation), THEIL_FORMATS, ws.max_row + 1)
    _fit(ws)
    set_widths(ws, {"A": 8})  # the titles in column A run on into the empty cells beside them
    print_setup(ws)


def _gaps(ws: Worksheet, evaluation: Evaluation) -> None:
    if not evaluation.standard.judges_schools:
        ws.append(["所选标准没有逐校标准值，没有补短板清单。"])
        return
    ws.append(["全县合计：使每所学校每项指标都达到标准"])
    ws["A1"].font = Font(bold=True)
    totals = gap_totals_table(evaluation)
    write_frame(ws, totals, {"全县需补充": "#,##0", "万元": "#,##0.00"}, start_row=2)
    ws.append([])
    ws.append(["各校需补充（每项指标内由多到少；一贯制学校的校舍、场地、设备按全校计）"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    write_frame(ws, gap_table(evaluation), {"需补充": "#,##0", "万元": "#,##0.00"}, ws.max_row + 1)
    _fit(ws)
    print_setup(ws)


def frame_sheet(ws: Worksheet, frame: pd.DataFrame, formats: dict[str, str]) -> None:
    write_frame(ws, frame, formats, start_row=1)
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 66
    _fit(ws)
    print_setup(ws)


def write_frame(
    ws: Worksheet, frame: pd.DataFrame, formats: dict[str, str], start_row: int
) -> None:
    for c, name in enumerate(frame.columns, start=1):
        cell = ws.cell(start_row, c, str(name))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r, record in enumerate(frame.itertuples(index=False), start=start_row + 1):
        for c, (name, value) in enumerate(zip(frame.columns, record, strict=True), start=1):
            cell = set_cell(ws, r, c, value)
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = formats.get(str(name), _default_format(cell.value))


def _default_format(value: float) -> str:
    return "#,##0" if float(value).is_integer() else "#,##0.00"


def _append(ws: Worksheet, values: list[Any]) -> None:
    row = ws.max_row + 1 if ws.max_row > 1 or ws["A1"].value is not None else 1
    for c, value in enumerate(values, start=1):
        set_cell(ws, row, c, value)


def set_cell(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ws.cell(row, column)
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    cell = ws.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"  # text from the input is never a formula
    return cell


def _status_colours(ws: Worksheet, frame: pd.DataFrame) -> None:
    last = ws.max_row
    for c, name in enumerate(frame.columns, start=1):
        if not (str(name).endswith("状态") or name == "是否达标"):
            continue
        letter = get_column_letter(c)
        cells = f"{letter}2:{letter}{last}"
        first = f"{letter}2"
        for text, fill in (
            ("低于85%", RED),
            ("未达标但不低于85%", AMBER),
            ("未达标", RED),
            ("达标", GREEN),
        ):
            ws.conditional_formatting.add(
                cells, FormulaRule(formula=[f'{first}="{text}"'], fill=fill, stopIfTrue=True)
            )


# -- charts ------------------------------------------------------------------------------------
CM_PER_ROW = 0.53  # a default 15 pt row
STATUS_COLOURS = {"met": "2F5597", "near": "BF8F00", "below": "C00000"}


def _charts(workbook: Workbook, evaluation: Evaluation) -> None:
    """One chart a printed page: per level the CVs against their limits, then the weakest
    indicators' schools, lowest first (only the lowest 30 of a long list, said above it)."""
    data = workbook.create_sheet("图表数据")
    sheet = workbook.create_sheet("图表", index=1)
    blocks: list[tuple[str, BarChart]] = []
    per_school = school_charts(evaluation)
    for level in evaluation.levels:
        if not level.schools:
            continue
        blocks.append(("", _cv_chart(data, level, evaluation)))
        for chart in per_school:
            if chart.level is level:
                blocks.append((chart.note("“学校达标”工作表"), _school_chart(data, chart)))
    row = 1
    for n, (note, chart) in enumerate(blocks):
        if note:
            set_cell(sheet, row, 1, note).font = Font(bold=True, color="9C5700")
        sheet.add_chart(chart, f"A{row + 1}")
        row += 2 + math.ceil(chart.height / CM_PER_ROW)
        if n < len(blocks) - 1:
            sheet.row_breaks.append(Break(id=row - 1))
    data.sheet_state = "hidden"
    print_setup(sheet)


def _next_block(ws: Worksheet) -> int:
    return ws.max_row + 2 if ws.max_row > 1 else 1


def _cv_chart(data: Worksheet, level: LevelResult, evaluation: Evaluation) -> BarChart:
    each = evaluation.standard.judgement.mode == "each"
    start = _next_block(data)
    data.cell(start, 1, "指标")
    data.cell(start, 2, "差异系数")
    data.cell(start, 3, "限值" if each else "综合差异系数限值")
    for i, ind in enumerate(level.indicators, start=1):
        data.cell(start + i, 1, ind.label)
        data.cell(start + i, 2, ind.cv)
        data.cell(start + i, 3, ind.limit if each else level.composite_limit)
    end = start + len(level.indicators)
    bars = BarChart()
    bars.title = f"{level.name}各项指标差异系数与限值"
    bars.y_axis.title = "差异系数"
    bars.add_data(Reference(data, min_col=2, min_row=start, max_row=end), titles_from_data=True)
    bars.set_categories(Reference(data, min_col=1, min_row=start + 1, max_row=end))
    line = LineChart()
    line.add_data(Reference(data, min_col=3, min_row=start, max_row=end), titles_from_data=True)
    bars += line
    bars.width, bars.height = 22, 9
    return bars


def _school_chart(data: Worksheet, chart: SchoolChart) -> BarChart:
    """Columns lowest first, coloured by status; the standard (or county mean) and its 85%
    (基本值) as lines across."""
    start = _next_block(data)
    heads = ["学校", chart.indicator.label, chart.reference_label]
    if chart.floor is not None:
        heads.append("基本值（85%）")
    for c, head in enumerate(heads, start=1):
        data.cell(start, c, head)
    for i, bar in enumerate(chart.bars, start=1):
        set_cell(data, start + i, 1, bar.name)
        data.cell(start + i, 2, bar.value)
        data.cell(start + i, 3, chart.reference)
        if chart.floor is not None:
            data.cell(start + i, 4, chart.floor)
    end = start + len(chart.bars)
    bars = BarChart()
    shown = f"，最低的 {len(chart.bars)} 所" if chart.truncated else ""
    bars.title = f"{chart.short_title}{shown}，由低到高"
    bars.add_data(Reference(data, min_col=2, min_row=start, max_row=end), titles_from_data=True)
    bars.set_categories(Reference(data, min_col=1, min_row=start + 1, max_row=end))
    bars.gapWidth = 40
    series = bars.series[0]
    series.graphicalProperties.solidFill = STATUS_COLOURS["met"]
    for i, bar in enumerate(chart.bars):
        if bar.status in ("near", "below"):
            point = DataPoint(idx=i)
            point.graphicalProperties.solidFill = STATUS_COLOURS[bar.status]
            series.dPt.append(point)
    line = LineChart()
    line.add_data(
        Reference(data, min_col=3, max_col=len(heads), min_row=start, max_row=end),
        titles_from_data=True,
    )
    line.series[0].graphicalProperties.line.solidFill = "C00000"
    line.series[0].graphicalProperties.line.dashStyle = "dash"
    if chart.floor is not None:
        line.series[1].graphicalProperties.line.solidFill = "BF8F00"
        line.series[1].graphicalProperties.line.dashStyle = "sysDot"
    for s in line.series:
        s.marker.symbol = "none"
        s.smooth = False
    bars += line
    bars.x_axis.txPr = _small_rotated()
    bars.x_axis.tickLblSkip = 1  # every school named, none left out by the spreadsheet
    bars.x_axis.delete = bars.y_axis.delete = False
    bars.legend.position = "b"
    bars.width, bars.height = 24, 13
    return bars


def _small_rotated() -> RichText:
    """School names: 7.5 pt, upright (turned 90°) so forty of them fit under the columns."""
    return RichText(
        bodyPr=RichTextProperties(rot=-5400000, vert="horz"),
        p=[
            Paragraph(
                pPr=ParagraphProperties(defRPr=CharacterProperties(sz=750)),
                endParaRPr=CharacterProperties(sz=750),
            )
        ],
    )


# -- layout ------------------------------------------------------------------------------------
def _fit(ws: Worksheet) -> None:
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


def print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if ws.freeze_panes:
        ws.print_title_rows = "1:1"
