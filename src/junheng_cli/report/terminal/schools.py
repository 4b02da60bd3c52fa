"""The evaluation report's sections on schools: the verdicts by the school rule, what the
failing ones lack, the county's bill, which schools to raise first, and 按规程 allowances."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from junheng_cli.model.fields import Level, quantity_text
from junheng_cli.model.results import Check, Evaluation, IndicatorResult, LevelResult
from junheng_cli.report.terminal.common import (
    CV_DECIMALS,
    figure,
    number,
    titled_table,
    verdict,
)
from junheng_cli.report.wording import gap_phrase


def render_school_counts(console: Console, evaluation: Evaluation) -> bool:
    """逐校达标: the rule and the counts per level. False when there is no school verdict."""
    rule = evaluation.standard.school_rule
    assert rule is not None
    if evaluation.indicator_subset is not None:
        _render_partial_checks(console, evaluation)
        return False
    counts = "；".join(
        f"{lv.name} {lv.schools_passed} 所达标、{lv.schools_failed} 所未达标"
        for lv in evaluation.levels
        if lv.schools
    )
    console.print()
    console.print(
        f"[bold]逐校达标[/]（每个学段单位至少 {rule.min_met} 项达到标准，"
        f"其余不低于标准的 {rule.floor:.0%}）：{counts}"
    )
    return True


def render_school_verdicts(console: Console, evaluation: Evaluation) -> None:
    if not render_school_counts(console, evaluation):
        return
    failing = [u for u in evaluation.units if u.passed is False]
    if not failing:
        return
    table = titled_table(
        title=(
            f"未达标的学校及差距（{len(failing)} 个学段单位；一贯制学校的校舍、场地、设备按全校计）"
        ),
        show_lines=True,
    )
    table.add_column("学校", overflow="fold", ratio=1)
    table.add_column("学段", no_wrap=True)
    table.add_column("达标", justify="right", no_wrap=True)
    table.add_column("未达标的指标：本校值 / 标准 → 还差多少", overflow="fold", ratio=3)
    gaps = {(g.origin, g.indicator, g.level): g for g in evaluation.gaps}
    labels = {i.id: (i.label, i.decimals) for i in evaluation.standard.indicators}
    for unit in sorted(failing, key=lambda u: (list(Level).index(u.level), u.met or 0)):
        lines = []
        for check in unit.checks:
            if check.status == "met":
                continue
            gap = gaps.get((unit.origin, check.indicator, unit.level)) or gaps.get(
                (unit.origin, check.indicator, None)
            )
            need = gap_phrase(gap.amount, gap.unit, gap.what) if gap else ""
            lines.append(f"{_shortfall_text(check, *labels[check.indicator])} → {need}")
        table.add_row(
            Text(unit.name), unit.level.chinese, f"{unit.met}/{len(unit.checks)}", "\n".join(lines)
        )
    console.print(table)


def _render_partial_checks(console: Console, evaluation: Evaluation) -> None:
    """--indicators: each indicator's schools at their threshold; no school-rule verdict."""
    console.print()
    console.print("[bold]逐校情况[/]（部分指标，不判定学校是否达标）：")
    for level in evaluation.levels:
        mine = [u for u in evaluation.units if u.level == level.level]
        for ind in level.indicators:
            checks = [c for u in mine for c in u.checks if c.indicator == ind.id]
            met = sum(c.status == "met" for c in checks)
            console.print(
                f"  {level.name} {ind.label}：{len(checks)} 个单位中 {met} 个达到标准，"
                f"{len(checks) - met} 个未达到"
            )


def _shortfall_text(check: Check, label: str, decimals: int) -> str:
    mark = "[yellow]≥85%[/]" if check.status == "near" else "[red]<85%[/]"
    value = number(check.value, decimals)
    return f"{label} {value} / {number(check.threshold, decimals)} {mark}"


def render_gap_totals(console: Console, evaluation: Evaluation) -> None:
    table = titled_table(
        title="补短板清单（全县合计：使每所学校每项指标都达到标准）",
    )
    table.add_column("指标")
    table.add_column("全县需补充", justify="right")
    table.add_column("涉及学校", justify="right")
    for total in evaluation.gap_totals:
        amount = quantity_text(total.amount, total.unit)
        table.add_row(
            f"{total.name}（{total.what}）", amount if total.amount else "—", str(total.schools)
        )
    console.print()
    console.print(table)


def render_fix_first(console: Console, evaluation: Evaluation) -> None:
    for level in evaluation.levels:
        for ind in level.indicators:
            if ind.fix_first:
                console.print()
                console.print(_fix_first_table(level, ind))


def _fix_first_table(level: LevelResult, ind: IndicatorResult) -> Table:
    table = titled_table(
        title=(
            f"{level.name}“{ind.name}”差异系数 {number(ind.cv, CV_DECIMALS)} 超过限值 "
            f"{number(ind.limit, 2)}：先补这些学校"
        ),
    )
    for header in ("步", "学校", "本校值 → 补到", "需补充", "补后差异系数"):
        table.add_column(header, justify="left" if header == "学校" else "right")
    for n, step in enumerate(ind.fix_first, start=1):
        table.add_row(
            str(n),
            Text(step.name),
            f"{number(step.before, ind.decimals)} → {number(step.after, ind.decimals)}",
            gap_phrase(step.amount, step.unit, "").removeprefix("还差 "),
            number(step.cv_after, CV_DECIMALS),
        )
    if ind.limit is not None and ind.fix_first[-1].cv_after > ind.limit:
        table.caption = "只补低于标准或均值的学校仍降不到限值以下：还需调整配置偏高的学校"
    return table


def render_allowances(console: Console, evaluation: Evaluation) -> None:
    """按规程: every figure a 2019 规程 allowance changed, strict and allowed."""
    uses = evaluation.allowance_uses
    if not uses:
        return
    table = titled_table(
        title=f"按规程（2019 年督导评估规程）放宽的项目：{len(uses)} 项，严格口径与按规程并列",
        box=box.SIMPLE_HEAD,
    )
    for header in ("学校", "学段", "项目", "严格口径", "按规程", "规程规定"):
        table.add_column(header, overflow="fold")
    for use in uses:
        table.add_row(
            Text(use.name),
            use.level.chinese if use.level else "全校",
            use.item,
            allowance_figure(use.strict_value, use.comparison, use.strict_threshold)
            + f" {verdict(use.strict_passed)}",
            allowance_figure(use.value, use.comparison, use.threshold) + f" {verdict(use.passed)}",
            Text(use.rule),
        )
    console.print()
    console.print(table)


def allowance_figure(value: float, comparison: str, threshold: float) -> str:
    """75 ≥ 73 / 2,300 ≤ 2,400: a figure against its threshold, plainly."""
    sign = comparison if _holds(value, comparison, threshold) else _negated(comparison)
    return f"{figure(value)} {sign} {figure(threshold)}"


def _holds(value: float, comparison: str, threshold: float) -> bool:
    slack = 1e-9 * max(1.0, abs(threshold))
    return value >= threshold - slack if comparison == "≥" else value <= threshold + slack


def _negated(comparison: str) -> str:
    return "<" if comparison == "≥" else ">"
