"""The evaluation workbook's native Excel charts, one a printed page: per level the
coefficients against their limits, then the weakest indicators' schools, lowest first."""

from __future__ import annotations

import math

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
from openpyxl.styles import Font
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from junheng_cli.model.results import Evaluation, LevelResult
from junheng_cli.report.charts import SchoolChart, school_charts
from junheng_cli.report.xlsx.common import print_setup, set_cell

CM_PER_ROW = 0.53  # a default 15 pt row
STATUS_COLOURS = {"met": "2F5597", "near": "BF8F00", "below": "C00000"}


def add_charts(workbook: Workbook, evaluation: Evaluation) -> None:
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
