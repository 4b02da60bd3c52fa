"""A comparison of periods as a workbook: the summary, a trend chart of every coefficient
against its limit, the coefficients, the county's bill, and the schools that changed."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.marker import Marker
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from junheng_cli import __version__
from junheng_cli.io.digest import sha256_of
from junheng_cli.io.write import display_width, write_atomic
from junheng_cli.report.frames.compare import (
    cv_frame,
    gap_totals_frame,
    membership_frame,
    school_changes_frame,
)
from junheng_cli.report.wording import FAILED, PASSED, verdict_word
from junheng_cli.report.wording.compare import NO_SCHOOL_RULE, judged_each
from junheng_cli.report.xlsx.common import (
    GREEN,
    RED,
    frame_sheet,
    print_setup,
    set_cell,
    set_widths,
    write_frame,
)
from junheng_cli.workflows.compare import Comparison, name_match_warning

SUMMARY_FIRST_WIDTH, SUMMARY_WIDTH = 30, 16  # 汇总: column A, then one per period
CHART_ROWS = 24  # rows between the tops of two charts


def write_comparison_xlsx(comparison: Comparison, target: Path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _summary_sheet(workbook.create_sheet("汇总"), comparison)
    _cv_sheet(workbook.create_sheet("差异系数"), comparison)
    if comparison.gap_totals:
        _gap_totals_sheet(workbook.create_sheet("补短板合计"), comparison)
    changes = school_changes_frame(comparison)
    formats = {c: "#,##0.00" for c in ("前一期值", "本期值")}
    formats.update({"变化": "+#,##0.00;-#,##0.00;0", "还差变化": "+#,##0;-#,##0;0"})
    formats.update({"前一期还差": "#,##0", "本期还差": "#,##0"})
    frame_sheet(workbook.create_sheet("学校变化"), changes, formats)
    frame_sheet(workbook.create_sheet("新增减少"), membership_frame(comparison), {})
    _trend_charts(workbook, comparison)
    write_atomic(target, lambda tmp: workbook.save(tmp))


def _gap_totals_sheet(ws: Worksheet, comparison: Comparison) -> None:
    frame = gap_totals_frame(comparison)
    frame_sheet(ws, frame, dict.fromkeys(comparison.labels, "#,##0"))
    amounts = [c for c, name in enumerate(frame.columns, start=1) if name in comparison.labels]
    for r, unit in enumerate(frame["单位"], start=2):
        if unit == "万元":  # 万元 to two decimals (whole 元 would otherwise be lost)
            for c in amounts:
                ws.cell(r, c).number_format = "#,##0.00"


def _summary_sheet(ws: Worksheet, comparison: Comparison) -> None:
    standard = comparison.standard
    labels = comparison.labels
    widths = [SUMMARY_FIRST_WIDTH] + [SUMMARY_WIDTH] * max(6, len(labels))
    ws.append([f"{standard.name} 各期对比"])
    ws["A1"].font = Font(bold=True, size=14)
    if standard.example:
        _note_row(ws, "注意：示例标准文件，数值未经正式文件核实，结果仅供演示", widths)
    if not comparison.judges_schools:
        _note_row(ws, NO_SCHOOL_RULE, widths)
    _note_row(ws, "“学校变化”表只列出有变化的学校和指标；全部数值见 --format json", widths)
    ws.append([])
    _block(ws, "各期结论", ["项目", *labels], _verdict_rows(comparison))
    _block(
        ws,
        "各期变化",
        ["对比", "对应学段单位", "仅按名称对应", "新达标", "新未达标", "新增", "减少"],
        [
            [
                f"{s.before} → {s.after}",
                len(s.changes),
                len(s.name_matches),
                len(s.newly_passing) if comparison.judges_schools else None,
                len(s.newly_failing) if comparison.judges_schools else None,
                len(s.added),
                len(s.removed),
            ]
            for s in comparison.steps
        ],
    )
    warnings = [name_match_warning(c) for s in comparison.steps for c in s.name_matches]
    if warnings:
        ws.cell(ws.max_row + 2, 1, "警告：只按学校名称对应的学校").font = Font(bold=True)
        for text in warnings:  # long: wrapped across the table's width, never one wide cell
            _note_row(ws, text, widths)
    manifest: list[list[object]] = [
        ["junheng 版本", __version__],
        ["评估标准", f"{standard.name}（{standard.id}，版本 {standard.version}）"],
        ["生成日期", date.today().isoformat()],
    ]
    for period in comparison.periods:
        for file in period.files:
            manifest.append([f"{period.label} 输入文件", file])
            path = Path(file)
            there = path.is_file() or path.is_dir()  # a folder of statistics exports
            manifest.append(["sha256", sha256_of(path) if there else "（文件已不在）"])
    _block(ws, "运行信息", ["项目", "内容"], manifest)
    set_widths(ws, {get_column_letter(c): w for c, w in enumerate(widths, start=1)})
    print_setup(ws)


def _note_row(ws: Worksheet, text: str, widths: list[int]) -> None:
    """A line of text below what is on the sheet, merged across ``widths`` and wrapped, the
    row tall enough for it (a program-written row does not grow by itself)."""
    row = ws.max_row + 1
    cell = ws.cell(row, 1, text)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    lines = math.ceil(display_width(text) / max(1, sum(widths) - 4))
    ws.row_dimensions[row].height = max(1, lines) * 15


def _verdict_rows(comparison: Comparison) -> list[list[object]]:
    rows: list[list[object]] = [
        ["全县结论", *(verdict_word(p.passed) for p in comparison.periods)],
        ["参评学段单位", *(p.units for p in comparison.periods)],
    ]
    for level in comparison.levels:
        rows.append([f"{level.name}结论", *(verdict_word(v.passed) for v in level.verdicts)])
        rows.append(
            [
                f"{level.name}差异系数（{'逐项' if judged_each(comparison) else '综合'}判定）",
                *(verdict_word(v.cv_passed) for v in level.verdicts),
            ]
        )
        rows.append([f"{level.name}综合差异系数", *(p.cv for p in level.composite.points)])
        if comparison.judges_schools:
            rows.append([f"{level.name}未达标学校", *(v.schools_failed for v in level.verdicts)])
    return rows


def _block(ws: Worksheet, title: str, headers: list[str], rows: list[list[object]]) -> None:
    """A titled table below what is already on the sheet."""
    start = ws.max_row + 2
    ws.cell(start, 1, title).font = Font(bold=True)
    frame = pd.DataFrame(rows, columns=headers)
    write_frame(ws, frame, {}, start + 1)
    for row in ws.iter_rows(min_row=start + 2, max_row=ws.max_row):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.0000"
            elif cell.value in (PASSED, FAILED):
                cell.fill = GREEN if cell.value == PASSED else RED


def _cv_sheet(ws: Worksheet, comparison: Comparison) -> None:
    frame = cv_frame(comparison)
    formats = dict.fromkeys(frame.columns[2:], "0.0000")
    formats["限值"] = "0.00"
    formats.update({c: "+0.0000;-0.0000;0.0000" for c in frame.columns if "较" in str(c)})
    frame_sheet(ws, frame, formats)
    # over its limit: red, as in the terminal
    limits = frame["限值"].tolist()
    for c, label in enumerate(frame.columns, start=1):
        if label not in comparison.labels:
            continue
        for r, (cv, limit) in enumerate(zip(frame[label], limits, strict=True), start=2):
            if cv == cv and limit == limit and limit is not None and cv > limit:
                ws.cell(r, c).fill = RED


def _trend_charts(workbook: Workbook, comparison: Comparison) -> None:
    """Per level a line chart: each CV over the periods, and its limit as a line of its own."""
    data = workbook.create_sheet("图表数据")
    sheet = workbook.create_sheet("趋势图", index=1)
    labels = comparison.labels
    placed = 0
    for level in comparison.levels:
        if not any(v.schools for v in level.verdicts):
            continue
        trends = [*level.indicators, level.composite]
        start = data.max_row + 2 if data.max_row > 1 else 1
        set_cell(data, start, 1, "期别")
        for k, trend in enumerate(trends, start=2):
            set_cell(data, start, k, trend.label)
        last_column = len(trends) + 1
        if level.limit is not None:  # no limit set: no line, rather than a line at 0
            last_column += 1
            limit_label = "限值" if judged_each(comparison) else "综合差异系数限值"
            set_cell(data, start, last_column, limit_label)
        for r, label in enumerate(labels, start=start + 1):
            set_cell(data, r, 1, label)
            for k, trend in enumerate(trends, start=2):
                set_cell(data, r, k, trend.points[r - start - 1].cv)
            if level.limit is not None:
                set_cell(data, r, last_column, level.limit)
        end = start + len(labels)
        title = f"{level.name}各项差异系数变化" + ("与限值" if level.limit is not None else "")
        chart = _line_chart(data, (start, end, last_column), level.limit is not None, title)
        sheet.add_chart(chart, f"A{1 + placed * CHART_ROWS}")
        placed += 1
        sheet.row_breaks.append(Break(id=placed * CHART_ROWS))  # one chart per printed page
    data.sheet_state = "hidden"
    print_setup(sheet)


def _line_chart(
    data: Worksheet, area: tuple[int, int, int], with_limit: bool, title: str
) -> LineChart:
    """``area``: first row, last row and last column of the level's block on the data sheet;
    with a limit, the last column is the limit, drawn dashed."""
    start, end, last_column = area
    chart = LineChart()
    chart.title = title
    chart.y_axis.title = "差异系数"
    chart.x_axis.title = "期别"
    chart.add_data(
        Reference(data, min_col=2, max_col=last_column, min_row=start, max_row=end),
        titles_from_data=True,
    )
    chart.set_categories(Reference(data, min_col=1, min_row=start + 1, max_row=end))
    lines = chart.series[:-1] if with_limit else chart.series
    for series in lines[:-1]:
        series.marker = Marker(symbol="circle", size=6)
        series.smooth = False
    composite = lines[-1]
    composite.graphicalProperties.line.width = 38100  # EMU: 3 pt, the composite stands out
    composite.marker = Marker(symbol="diamond", size=8)
    composite.smooth = False
    if with_limit:
        limit = chart.series[-1]
        limit.graphicalProperties.line.solidFill = "C00000"
        limit.graphicalProperties.line.dashStyle = "dash"
        limit.graphicalProperties.line.width = 28575
        limit.marker = Marker(symbol="none")
        limit.smooth = False
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
    chart.y_axis.number_format = "0.00"
    chart.y_axis.scaling.min = 0
    chart.legend.position = "r"
    chart.width, chart.height = 24, 11
    return chart
