"""A comparison of periods in the terminal (rich): each level's coefficients over the periods,
the county's bill, and per step the schools that changed. Rounds for display only; the
numbers come from ``junheng_cli.workflows.compare``."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape as esc
from rich.table import Table
from rich.text import Text

from junheng_cli.report.terminal.common import (
    CV_DECIMALS,
    figure,
    number,
    titled_table,
    verdict,
)
from junheng_cli.report.wording import CHECK_STATUS, verdict_word
from junheng_cli.report.wording.compare import NO_SCHOOL_RULE, display_unit, judged_each
from junheng_cli.workflows.compare import (
    COMPOSITE,
    Comparison,
    CvPoint,
    CvTrend,
    LevelTrend,
    PeriodStep,
    UnitChange,
    UnitRef,
    name_match_warning,
)

LIST_AT_MOST = 20


def _judged_by(comparison: Comparison) -> str:
    return "逐项判定" if judged_each(comparison) else "综合差异系数判定"


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
        reported = trend.indicator == COMPOSITE and judged_each(comparison)
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
        divisor, unit = display_unit(total.unit)
        decimals = 2 if total.unit == "元" else 0
        amounts = [None if a is None else a / divisor for a in total.amounts]
        table.add_row(
            f"{total.what}（{unit}）",
            *(number(a, decimals) for a in amounts),
            *(_signed(d, decimals) for d in _amount_changes(amounts)),
        )
    return table


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
        was = CHECK_STATUS.get(gap.status_before or "", "—")
        now = CHECK_STATUS.get(gap.status_after or "", "—")
        lines.append(
            f"{label} {number(value.before, places)} → {number(value.after, places)}"
            f"（{_signed_plain(value.delta, places)}，{was} → {now}）"
            f"；还差 {figure(gap.before)} → {figure(gap.after)} {gap.unit}{gap.what}"
        )
    return Text("\n".join(lines) or "各项达标情况未变")


def _signed_plain(value: float | None, decimals: int) -> str:
    return "—" if value is None else f"{value:+,.{decimals}f}"


def _units_line(title: str, units: list[UnitRef], judges_schools: bool) -> Text:
    names = "、".join(
        f"{u.name}（{u.level.chinese}"
        + (f"，{verdict_word(u.passed)}" if judges_schools else "")
        + "）"
        for u in units[:LIST_AT_MOST]
    )
    more = f" 等 {len(units)} 个" if len(units) > LIST_AT_MOST else ""
    return Text(f"  {title}：{names}{more}")
