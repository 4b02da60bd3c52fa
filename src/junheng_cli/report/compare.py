"""A comparison of periods as the analyst reports it upward: in the terminal (rich), as a JSON
document, and as a workbook with a trend chart of every difference coefficient against its
limit. Rounds for display only; the numbers come from ``junheng_cli.workflows.compare``."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.marker import Marker
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from rich.console import Console
from rich.markup import escape as esc
from rich.table import Table
from rich.text import Text

from junheng_cli import __version__
from junheng_cli.io.write import display_width, write_atomic
from junheng_cli.report.json import to_json
from junheng_cli.report.terminal.evaluation import CV_DECIMALS, number, titled_table, verdict
from junheng_cli.report.xlsx.evaluation import (
    GREEN,
    RED,
    frame_sheet,
    print_setup,
    set_cell,
    set_widths,
    sha256_of,
    write_frame,
)
from junheng_cli.workflows.compare import (
    COMPOSITE,
    Comparison,
    CvPoint,
    CvTrend,
    GapChange,
    LevelTrend,
    PeriodStep,
    UnitChange,
    UnitRef,
    ValueChange,
    Verdict,
    name_match_warning,
)

VERDICT_ZH = {
    Verdict.NEWLY_PASSING: "新达标",
    Verdict.NEWLY_FAILING: "新未达标",
    Verdict.STILL_PASSING: "仍达标",
    Verdict.STILL_FAILING: "仍未达标",
    Verdict.NOT_JUDGED: "不逐校判定",
}
STATUS_ZH = {"met": "达标", "near": "未达标但不低于85%", "below": "低于85%"}
NO_SCHOOL_RULE = (
    "所选标准没有逐校达标规则（如 basic-2012）：只比较差异系数和各校指标值，"
    "没有“新达标 / 新未达标”学校"
)
LIST_AT_MOST = 20
SUMMARY_FIRST_WIDTH, SUMMARY_WIDTH = 30, 16  # 汇总: column A, then one per period


def _verdict_text(passed: bool | None) -> str:
    return "无法判定" if passed is None else "达标" if passed else "未达标"


def _each(comparison: Comparison) -> bool:
    """Every single CV is judged (2017); otherwise only the composite (2012)."""
    return comparison.standard.judgement.mode == "each"


def _judged_by(comparison: Comparison) -> str:
    return "逐项判定" if _each(comparison) else "综合差异系数判定"


# -- terminal ----------------------------------------------------------------------------------
def render_comparison(console: Console, comparison: Comparison) -> None:
    standard = comparison.standard
    periods = comparison.labels
    console.print(
        f"[bold]junheng 各期对比 · {esc(standard.name)}[/]"
        f"（{standard.id}，版本 {standard.version}）：{len(periods)} 期，{esc(' → '.join(periods))}"
    )
    if standard.example:
        console.print("[bold yellow]注意：示例标准文件，数值未经正式文件核实，结果仅供演示。[/]")
    for period in comparison.periods:
        warnings = f"，数据警告 {period.warnings} 个" if period.warnings else ""
        console.print(
            f"  {esc(period.label)}：{esc('、'.join(period.files))}，参评单位 {period.units} 个，"
            f"全县 {verdict(period.passed)}{warnings}"
        )
    if not comparison.judges_schools:
        console.print(f"[yellow]{NO_SCHOOL_RULE}。[/]")
    for level in comparison.levels:
        console.print()
        if any(v.schools for v in level.verdicts):
            console.print(_level_table(level, comparison))
        else:
            console.print(f"[bold]{level.name}[/]：各期都没有参评学校")
    if comparison.gap_totals:
        console.print()
        console.print(_gap_totals_table(comparison))
    names = {i.id: (i.label, i.decimals) for i in standard.indicators}
    for step in comparison.steps:
        console.print()
        _render_step(console, step, comparison.judges_schools, names)


def _change_headers(labels: list[str]) -> list[str]:
    """较上期 is the last period against the one before; 较首期 only when they differ."""
    return ["较上期"] if len(labels) == 2 else ["较上期", "较首期"]


def _level_table(level: LevelTrend, comparison: Comparison) -> Table:
    labels = comparison.labels
    limit = "未设限值" if level.limit is None else f"限值 {level.limit:.2f}"
    table = titled_table(f"{level.name}：差异系数（{limit}，{_judged_by(comparison)}）")
    table.add_column("指标")
    for label in labels:
        table.add_column(esc(label), justify="right")
    for header in _change_headers(labels):
        table.add_column(header, justify="right")
    for trend in [*level.indicators, level.composite]:
        reported = trend.indicator == COMPOSITE and _each(comparison)
        name = f"{trend.label}（仅报告）" if reported else trend.label
        table.add_row(name, *_cv_cells(trend), *_change_cells(trend.points[-1], len(labels)))
    table.add_section()
    blanks = [""] * len(_change_headers(labels))
    table.add_row("结论", *(verdict(v.passed) for v in level.verdicts), *blanks)
    if comparison.judges_schools:
        failed = [v.schools_failed for v in level.verdicts]
        table.add_row(
            "未达标学校",
            *(number(f, 0) for f in failed),
            *_count_changes(failed),
        )
    return table


def _cv_cells(trend: CvTrend) -> list[str]:
    return [
        f"[red]{number(p.cv, CV_DECIMALS)}[/]" if p.passed is False else number(p.cv, CV_DECIMALS)
        for p in trend.points
    ]


def _change_cells(last: CvPoint, periods: int) -> list[str]:
    changes = [last.from_previous] if periods == 2 else [last.from_previous, last.from_first]
    return [_signed(c, CV_DECIMALS) for c in changes]


def _signed(change: float | None, decimals: int) -> str:
    """A coefficient or a shortfall going down is progress: green; up: red."""
    if change is None:
        return "—"
    if round(change, decimals) == 0:
        return f"{0:.{decimals}f}"
    text = f"{change:+,.{decimals}f}"
    return f"[green]{text}[/]" if change < 0 else f"[red]{text}[/]"


def _count_changes(counts: list[int | None]) -> list[str]:
    first, previous, last = counts[0], counts[-2], counts[-1]
    diffs = [_minus(last, previous)] + ([_minus(last, first)] if len(counts) > 2 else [])
    return [_signed(d, 0) for d in diffs]


def _minus(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else after - before


def _gap_totals_table(comparison: Comparison) -> Table:
    labels = comparison.labels
    table = titled_table("补短板合计（使每所学校每项指标达到标准，全县需补充）")
    table.add_column("指标")
    for label in labels:
        table.add_column(esc(label), justify="right")
    for header in _change_headers(labels):
        table.add_column(header, justify="right")
    for total in comparison.gap_totals:
        divisor, unit = _display_unit(total.unit)
        decimals = 2 if total.unit == "元" else 0
        amounts = [None if a is None else a / divisor for a in total.amounts]
        table.add_row(
            f"{total.what}（{unit}）",
            *(number(a, decimals) for a in amounts),
            *(_signed(d, decimals) for d in _amount_changes(amounts)),
        )
    return table


def _display_unit(unit: str) -> tuple[int, str]:
    """Money is shown in 万元, everything else in its own unit: (divisor, unit shown)."""
    return (10_000, "万元") if unit == "元" else (1, unit)


def _amount_changes(amounts: list[float | None]) -> list[float | None]:
    changes = [_minus(amounts[-1], amounts[-2])]
    if len(amounts) > 2:
        changes.append(_minus(amounts[-1], amounts[0]))
    return changes


def _render_step(
    console: Console, step: PeriodStep, judges_schools: bool, labels: dict[str, tuple[str, int]]
) -> None:
    by_name = step.name_matches
    counts = (
        f"对应 {len(step.changes)} 个学段单位（仅按名称对应 {len(by_name)} 个），"
        f"新增 {len(step.added)} 个，减少 {len(step.removed)} 个"
    )
    if judges_schools:
        counts += f"；新达标 {len(step.newly_passing)} 个，新未达标 {len(step.newly_failing)} 个"
    console.print(f"[bold]{esc(step.before)} → {esc(step.after)}[/]：{counts}")
    for change in by_name:
        console.print(Text(f"  警告：{name_match_warning(change)}", style="yellow"))
    if judges_schools:
        for title, changes in (
            ("新达标的学校", step.newly_passing),
            ("新未达标的学校", step.newly_failing),
        ):
            if changes:
                console.print(_verdict_changes_table(title, changes, labels))
    for title, units in (("新增的学校", step.added), ("减少的学校", step.removed)):
        if units:
            console.print(_units_line(title, units, judges_schools))


def _verdict_changes_table(
    title: str, changes: list[UnitChange], labels: dict[str, tuple[str, int]]
) -> Table:
    table = titled_table(f"  {title}（{len(changes)} 个学段单位）", show_lines=True)
    table.add_column("学校", overflow="fold", ratio=1)
    table.add_column("学段", no_wrap=True)
    table.add_column(
        "有变化的指标：本校值 前 → 后（变化，状态）；还差 前 → 后", overflow="fold", ratio=3
    )
    for change in changes[:LIST_AT_MOST]:
        table.add_row(
            Text(change.after.name), change.after.level.chinese, _changed_checks(change, labels)
        )
    if len(changes) > LIST_AT_MOST:
        table.caption = f"另有 {len(changes) - LIST_AT_MOST} 个，见 --output 对比.xlsx"
    return table


def _changed_checks(change: UnitChange, labels: dict[str, tuple[str, int]]) -> Text:
    """The indicators whose status or gap moved: value before → after, gap before → after."""
    lines = []
    for value, gap in zip(change.values, change.gaps, strict=True):
        if gap.status_before == gap.status_after and not gap.delta:
            continue
        label, places = labels[value.indicator]
        was = STATUS_ZH.get(gap.status_before or "", "—")
        now = STATUS_ZH.get(gap.status_after or "", "—")
        lines.append(
            f"{label} {number(value.before, places)} → {number(value.after, places)}"
            f"（{_signed_plain(value.delta, places)}，{was} → {now}）"
            f"；还差 {_amount(gap.before)} → {_amount(gap.after)} {gap.unit}{gap.what}"
        )
    return Text("\n".join(lines) or "各项达标情况未变")


def _signed_plain(value: float | None, decimals: int) -> str:
    return "—" if value is None else f"{value:+,.{decimals}f}"


def _amount(value: float | None) -> str:
    """A gap: whole teachers, rooms, ㎡ and 元 without decimals."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _units_line(title: str, units: list[UnitRef], judges_schools: bool) -> Text:
    names = "、".join(
        f"{u.name}（{u.level.chinese}"
        + (f"，{_verdict_text(u.passed)}" if judges_schools else "")
        + "）"
        for u in units[:LIST_AT_MOST]
    )
    more = f" 等 {len(units)} 个" if len(units) > LIST_AT_MOST else ""
    return Text(f"  {title}：{names}{more}")


# -- JSON --------------------------------------------------------------------------------------
def comparison_document(comparison: Comparison) -> dict[str, Any]:
    """Every number at full precision, in a fixed order: the same input gives the same bytes."""
    standard = comparison.standard
    return {
        "kind": "comparison",
        "junheng_version": __version__,
        "standard": {
            "id": standard.id,
            "name": standard.name,
            "version": standard.version,
            "extends": standard.extends,
            "example": standard.example,
            "judgement": standard.judgement.mode,
            "judges_schools": comparison.judges_schools,
        },
        "periods": [
            {
                "label": p.label,
                "files": p.files,
                "units": p.units,
                "passed": p.passed,
                "warnings": p.warnings,
            }
            for p in comparison.periods
        ],
        "levels": [_level_document(level) for level in comparison.levels],
        "gap_totals": [
            {
                "indicator": t.indicator,
                "name": t.name,
                "what": t.what,
                "unit": t.unit,
                "amounts": t.amounts,
                "schools": t.schools,
            }
            for t in comparison.gap_totals
        ],
        "steps": [_step_document(step) for step in comparison.steps],
    }


def _level_document(level: LevelTrend) -> dict[str, Any]:
    return {
        "level": level.level.value,
        "name": level.name,
        "limit": level.limit,
        "indicators": [_trend_document(t) for t in level.indicators],
        "composite": _trend_document(level.composite),
        "verdicts": [
            {
                "period": v.period,
                "schools": v.schools,
                "passed": v.passed,
                "cv_passed": v.cv_passed,
                "schools_passed": v.schools_passed,
                "schools_failed": v.schools_failed,
            }
            for v in level.verdicts
        ],
    }


def _trend_document(trend: CvTrend) -> dict[str, Any]:
    return {
        "id": trend.indicator,
        "name": trend.name,
        "points": [
            {
                "period": p.period,
                "cv": p.cv,
                "limit": p.limit,
                "passed": p.passed,
                "from_previous": p.from_previous,
                "from_first": p.from_first,
            }
            for p in trend.points
        ],
    }


def _step_document(step: PeriodStep) -> dict[str, Any]:
    return {
        "before": step.before,
        "after": step.after,
        "newly_passing": [_key(c.after) for c in step.newly_passing],
        "newly_failing": [_key(c.after) for c in step.newly_failing],
        "added": [_ref_document(u) for u in step.added],
        "removed": [_ref_document(u) for u in step.removed],
        "warnings": [name_match_warning(c) for c in step.name_matches],
        "schools": [_change_document(c) for c in step.changes],
    }


def _key(unit: UnitRef) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "level": unit.level.value}


def _ref_document(unit: UnitRef) -> dict[str, Any]:
    return {
        **_key(unit),
        "type": unit.type,
        "passed": unit.passed,
        "file": unit.origin.file,
        "sheet": unit.origin.sheet,
        "row": unit.origin.row,
    }


def _change_document(change: UnitChange) -> dict[str, Any]:
    return {
        **_key(change.after),
        "matched_by": change.matched_by.value,
        "verdict": change.verdict.value,
        "before": _ref_document(change.before),
        "after": _ref_document(change.after),
        "values": [
            {"indicator": v.indicator, "before": v.before, "after": v.after, "delta": v.delta}
            for v in change.values
        ],
        "gaps": [
            {
                "indicator": g.indicator,
                "unit": g.unit,
                "before": g.before,
                "after": g.after,
                "delta": g.delta,
                "status_before": g.status_before,
                "status_after": g.status_after,
            }
            for g in change.gaps
        ],
    }


def comparison_json(comparison: Comparison) -> str:
    return to_json(comparison_document(comparison))


# -- tables (for the workbook) -----------------------------------------------------------------
def cv_frame(comparison: Comparison) -> pd.DataFrame:
    """Per level and coefficient: the limit, the CV in each period, and the changes."""
    labels = comparison.labels
    records = []
    for level in comparison.levels:
        for trend in [*level.indicators, level.composite]:
            row: dict[str, object] = {
                "学段": level.name,
                "指标": trend.name,
                "限值": trend.points[0].limit,
            }
            row.update({p.period: p.cv for p in trend.points})
            row.update({f"{p.period}较上期": p.from_previous for p in trend.points[1:]})
            row.update({f"{p.period}较首期": p.from_first for p in trend.points[2:]})
            records.append(row)
    columns = ["学段", "指标", "限值", *labels, *[f"{x}较上期" for x in labels[1:]]]
    columns += [f"{x}较首期" for x in labels[2:]]
    return pd.DataFrame(records, columns=columns)


SCHOOL_COLUMNS = [
    "对比",
    "学校标识码",
    "学校名称",
    "学段",
    "对应方式",
    "达标变化",
    "指标",
    "前一期值",
    "本期值",
    "变化",
]
GAP_COLUMNS = ["前一期还差", "本期还差", "还差变化", "还差单位", "前一期状态", "本期状态"]


def school_changes_frame(comparison: Comparison) -> pd.DataFrame:
    """One row per matched unit, step and indicator that moved: the value and (2017) the gap,
    before and after. Long, so that it filters well in Excel; what did not move is left out
    (a county of 150 schools over 12 months would otherwise be some 12,000 rows of zeros)."""
    names = {i.id: i.label for i in comparison.standard.indicators}
    judged = comparison.judges_schools
    records = []
    for step in comparison.steps:
        for change in step.changes:
            gaps = {g.indicator: g for g in change.gaps}
            for value in change.values:
                gap = gaps.get(value.indicator)
                if not _moved(value, gap):
                    continue
                row: dict[str, object] = {
                    "对比": f"{step.before} → {step.after}",
                    "学校标识码": change.after.code,
                    "学校名称": change.after.name,
                    "学段": change.after.level.chinese,
                    "对应方式": "学校标识码" if change.matched_by == "code" else "仅学校名称",
                    "达标变化": VERDICT_ZH[change.verdict],
                    "指标": names.get(value.indicator, value.indicator),
                    "前一期值": value.before,
                    "本期值": value.after,
                    "变化": value.delta,
                }
                if judged and gap is not None:
                    row.update(
                        {
                            "前一期还差": gap.before,
                            "本期还差": gap.after,
                            "还差变化": gap.delta,
                            "还差单位": gap.unit,
                            "前一期状态": STATUS_ZH.get(gap.status_before or ""),
                            "本期状态": STATUS_ZH.get(gap.status_after or ""),
                        }
                    )
                records.append(row)
    columns = SCHOOL_COLUMNS + (GAP_COLUMNS if judged else [])
    return pd.DataFrame(records, columns=columns)


def _moved(value: ValueChange, gap: GapChange | None) -> bool:
    if value.before != value.after:
        return True
    return gap is not None and (gap.before != gap.after or gap.status_before != gap.status_after)


def membership_frame(comparison: Comparison) -> pd.DataFrame:
    """Schools added, removed, and matched by name only, per step."""
    records = []
    for step in comparison.steps:
        pair = f"{step.before} → {step.after}"
        for what, units in (("新增", step.added), ("减少", step.removed)):
            records += [_membership_row(pair, what, u, "", comparison) for u in units]
        records += [
            _membership_row(pair, "仅按名称对应", c.after, name_match_warning(c), comparison)
            for c in step.name_matches
        ]
    columns = ["对比", "情况", "学校标识码", "学校名称", "学校类型", "学段", "是否达标", "来源"]
    return pd.DataFrame(records, columns=[*columns, "说明"])


def _membership_row(
    pair: str, what: str, unit: UnitRef, note: str, comparison: Comparison
) -> dict[str, object]:
    o = unit.origin
    return {
        "对比": pair,
        "情况": what,
        "学校标识码": unit.code,
        "学校名称": unit.name,
        "学校类型": unit.type,
        "学段": unit.level.chinese,
        "是否达标": _verdict_text(unit.passed) if comparison.judges_schools else "不逐校判定",
        "来源": f"{o.file}［{o.sheet}］第{o.row}行",
        "说明": note,
    }


def gap_totals_frame(comparison: Comparison) -> pd.DataFrame:
    """Per indicator the county's need in each period, money in 万元 as in the terminal."""
    labels = comparison.labels
    records = []
    for total in comparison.gap_totals:
        divisor, unit = _display_unit(total.unit)
        amounts = [None if a is None else a / divisor for a in total.amounts]
        row: dict[str, object] = {"指标": total.name, "内容": total.what, "单位": unit}
        row.update(dict(zip(labels, amounts, strict=True)))
        row.update({f"{x}涉及学校": n for x, n in zip(labels, total.schools, strict=True)})
        records.append(row)
    columns = ["指标", "内容", "单位", *labels, *[f"{x}涉及学校" for x in labels]]
    return pd.DataFrame(records, columns=columns)


# -- workbook ----------------------------------------------------------------------------------
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
        ["全县结论", *(_verdict_text(p.passed) for p in comparison.periods)],
        ["参评学段单位", *(p.units for p in comparison.periods)],
    ]
    for level in comparison.levels:
        rows.append([f"{level.name}结论", *(_verdict_text(v.passed) for v in level.verdicts)])
        rows.append(
            [
                f"{level.name}差异系数（{'逐项' if _each(comparison) else '综合'}判定）",
                *(_verdict_text(v.cv_passed) for v in level.verdicts),
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
            elif cell.value in ("达标", "未达标"):
                cell.fill = GREEN if cell.value == "达标" else RED


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
            limit_label = "限值" if _each(comparison) else "综合差异系数限值"
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
