"""A trajectory as a workbook: the headline and the method, a chart per coefficient over its
limit (observed points, the fitted line extended to its projection, the limit), the
coefficients' paces and the failing schools' indicators."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from junheng_cli import __version__
from junheng_cli.io.digest import sha256_of
from junheng_cli.io.write import display_width, write_atomic
from junheng_cli.report.frames.trajectory import (
    chart_frame,
    chart_range,
    chart_title,
    charted,
    cv_frame,
    periods_frame,
    schools_frame,
)
from junheng_cli.report.wording.trajectory import (
    headline_lines,
    method_sentence,
    pace_header,
    undated_note,
)
from junheng_cli.report.xlsx.common import (
    frame_sheet,
    print_setup,
    set_cell,
    set_widths,
    write_frame,
)
from junheng_cli.workflows.trajectory import Trajectory

WIDTHS = [14, 14, 14, 12, 60]  # 汇总: the periods' table below the text
CHART_ROWS = 24  # rows between the tops of two charts
SIGNED = "+0.0000;-0.0000;0.0000"


def write_trajectory_xlsx(trajectory: Trajectory, target: Path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _summary_sheet(workbook.create_sheet("汇总"), trajectory)
    _charts(workbook, trajectory)
    cvs = cv_frame(trajectory)
    formats = dict.fromkeys(trajectory.labels, "0.0000")
    formats.update({"限值": "0.00", pace_header(trajectory.timeline): SIGNED})
    frame_sheet(workbook.create_sheet("差异系数趋势"), cvs, formats)
    if trajectory.standard.judges_schools:
        schools = schools_frame(trajectory)
        values = [*trajectory.labels, "标准值", "85%值"]
        formats = dict.fromkeys(values, "#,##0.00")
        formats[pace_header(trajectory.timeline)] = "+#,##0.00;-#,##0.00;0.00"
        frame_sheet(workbook.create_sheet("学校趋势"), schools, formats)
    write_atomic(target, lambda tmp: workbook.save(tmp))


def _text_row(ws: Worksheet, text: str, bold: bool = False) -> None:
    """A line of text merged across the sheet's columns and wrapped, the row tall enough."""
    row = ws.max_row + 1
    cell = ws.cell(row, 1, text)
    cell.data_type = "s"
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.font = Font(bold=bold)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
    lines = math.ceil(display_width(text) / max(1, sum(WIDTHS) - 4))
    ws.row_dimensions[row].height = max(1, lines) * 15


def _summary_sheet(ws: Worksheet, trajectory: Trajectory) -> None:
    standard = trajectory.standard
    ws.append([f"{standard.name} 达标趋势"])
    ws["A1"].font = Font(bold=True, size=14)
    if trajectory.target:
        _text_row(ws, f"目标日期：{trajectory.target}")
    for text in headline_lines(trajectory):
        _text_row(ws, text, bold=True)
    if standard.example:
        _text_row(ws, "注意：示例标准文件，数值未经正式文件核实，结果仅供演示")
    note = undated_note(trajectory)
    if note:
        _text_row(ws, note)
    _text_row(ws, method_sentence(trajectory))
    if not charted(trajectory):
        _text_row(ws, "所有差异系数在最后一期均已达标，且没有超过限值的趋势：不画趋势图")
    start = ws.max_row + 2
    ws.cell(start, 1, "各期").font = Font(bold=True)
    write_frame(ws, periods_frame(trajectory), {}, start + 1)
    start = ws.max_row + 2
    ws.cell(start, 1, "运行信息").font = Font(bold=True)
    rows: list[list[object]] = [
        ["junheng 版本", __version__],
        ["评估标准", f"{standard.name}（{standard.id}，版本 {standard.version}）"],
        ["生成日期", date.today().isoformat()],
    ]
    for period in trajectory.periods:
        for file in period.files:
            path = Path(file)
            there = path.is_file() or path.is_dir()
            rows.append([f"{period.label} 输入文件", file])
            rows.append(["sha256", sha256_of(path) if there else "（文件已不在）"])
    for r, (key, value) in enumerate(rows, start=start + 1):
        set_cell(ws, r, 1, key)
        set_cell(ws, r, 2, value)
    set_widths(ws, {get_column_letter(c): w for c, w in enumerate(WIDTHS, start=1)})
    print_setup(ws)


def _charts(workbook: Workbook, trajectory: Trajectory) -> None:
    """Per coefficient over its limit (or heading over it): a line chart on a grid of periods."""
    chosen = charted(trajectory)
    if not chosen:
        return
    sheet = workbook.create_sheet("趋势图")
    data = workbook.create_sheet("图表数据")
    for placed, cv in enumerate(chosen):
        frame = chart_frame(trajectory, cv)
        start = data.max_row + 2 if data.max_row > 1 else 1
        write_frame(data, frame, {}, start)
        end = start + len(frame)
        chart = _line_chart(data, start, end, chart_title(cv, trajectory), chart_range(frame))
        sheet.add_chart(chart, f"A{1 + placed * CHART_ROWS}")
        sheet.row_breaks.append(Break(id=(placed + 1) * CHART_ROWS))  # one chart per page
    data.sheet_state = "hidden"
    print_setup(sheet)


def _line_chart(
    data: Worksheet, start: int, end: int, title: str, value_axis: tuple[float, float, float, int]
) -> LineChart:
    """Columns B–D of the block: observed (points only), the fitted line, the limit (dashed)."""
    chart = LineChart()
    chart.title = title
    chart.y_axis.title = "差异系数"
    chart.x_axis.title = "期别"
    chart.add_data(
        Reference(data, min_col=2, max_col=4, min_row=start, max_row=end), titles_from_data=True
    )
    chart.set_categories(Reference(data, min_col=1, min_row=start + 1, max_row=end))
    observed, fitted, limit = chart.series
    observed.marker = Marker(symbol="circle", size=8)
    observed.marker.graphicalProperties = GraphicalProperties(solidFill="2F5597")
    observed.marker.graphicalProperties.line.solidFill = "2F5597"
    observed.graphicalProperties.line.noFill = True
    observed.smooth = False
    fitted.graphicalProperties.line.solidFill = "2F5597"
    fitted.graphicalProperties.line.width = 22225
    fitted.marker = Marker(symbol="none")
    fitted.smooth = False
    limit.graphicalProperties.line.solidFill = "C00000"
    limit.graphicalProperties.line.dashStyle = "dash"
    limit.graphicalProperties.line.width = 28575
    limit.marker = Marker(symbol="none")
    limit.smooth = False
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
    low, high, step, decimals = value_axis
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = low, high
    chart.y_axis.majorUnit = step
    chart.y_axis.number_format = "0." + "0" * decimals
    chart.legend.position = "r"
    chart.width, chart.height = 24, 11
    return chart
