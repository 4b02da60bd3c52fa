"""A budget plan in the terminal (rich): the headline first, then the steps in order, the
CVs before and after, and what remains of the full plan's bill."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape as esc
from rich.text import Text

from junheng_cli.model.fields import quantity_text
from junheng_cli.report.terminal.common import CV_DECIMALS, number, titled_table
from junheng_cli.report.terminal.plan import render_level_changes
from junheng_cli.report.wording.budget import (
    KINDS,
    METHOD,
    TEACHERS_RULE,
    costs_text,
    goal_text,
    headline,
    item_text,
    limit_text,
    steps_text,
)
from junheng_cli.workflows.plan.budget import BoughtStep, BudgetPlan, LevelCv


def render_budget(console: Console, plan: BudgetPlan) -> None:
    console.print(f"[bold]{esc(headline(plan))}[/]", highlight=False)
    console.print(
        f"junheng · 预算方案（先做什么） · {plan.standard.name}（{plan.standard.id}）",
        highlight=False,
    )
    if plan.standard.example:
        console.print("[bold yellow]注意：这是示例标准文件，数值未经正式文件核实。[/]")
    style = "bold yellow" if plan.costs.example else ""
    console.print(Text(costs_text(plan), style=style))
    for text in (limit_text(plan), goal_text(plan.goal), steps_text(plan), METHOD, TEACHERS_RULE):
        console.print(text, highlight=False)
    console.print()
    if not plan.steps:
        console.print("[bold]预算内放不下任何一步，或没有需要补充的步骤。[/]")
    else:
        _render_steps(console, plan)
    console.print()
    render_level_changes(console, plan.outcome.levels, plan.standard, "预算前", "预算后")
    console.print()
    _render_remaining(console, plan)


def _cv_text(cvs: list[LevelCv]) -> str:
    parts = []
    for c in cvs:
        value = number(c.cv, CV_DECIMALS)
        if c.limit is not None and c.cv is not None:
            value = f"[red]{value}[/]" if c.cv > c.limit else f"[green]{value}[/]"
        parts.append(f"{c.level.chinese}{c.label} {value}")
    return "\n".join(parts)


def _render_steps(console: Console, plan: BudgetPlan) -> None:
    swaps = f"；局部搜索替换 {plan.swaps} 次" if plan.swaps else ""
    table = titled_table(f"实施顺序（{len(plan.steps)} 步{swaps}）", show_lines=True)
    table.add_column("序", justify="right")
    table.add_column("学校", overflow="fold", ratio=1)
    table.add_column("补充（数量、方式、单价 = 费用）", overflow="fold", ratio=3)
    table.add_column("本步 / 累计", justify="right")
    if plan.passing_before is not None:
        table.add_column("达标单位", justify="right")
    if plan.cvs_before:
        table.add_column("超限差异系数（本步后）", overflow="fold")
    for bought in plan.steps:
        table.add_row(*_step_cells(plan, bought))
    console.print(table)


def _step_cells(plan: BudgetPlan, bought: BoughtStep) -> list[str | Text]:
    step = bought.step
    cells: list[str | Text] = [
        str(bought.order),
        Text(f"{step.name}\n{step.type}·{KINDS[step.kind]}"),
        esc("\n".join(item_text(i) for i in step.items)),
        f"{quantity_text(step.cost, '元')}\n{quantity_text(bought.spent_after, '元')}",
    ]
    if plan.passing_before is not None:
        gain = f"+{bought.passing_gain}" if bought.passing_gain else "—"
        cells.append(f"{gain}\n{bought.passing_after}/{plan.units}")
    if plan.cvs_before:
        cells.append(_cv_text(bought.cvs_after))
    return cells


def _render_remaining(console: Console, plan: BudgetPlan) -> None:
    if not plan.remaining:
        console.print(
            "[bold green]预算内已完成全部补充方案（与 junheng plan 不加 --budget 相同）。[/]"
        )
        return
    table = titled_table(
        f"余下补齐（补充方案中预算外的 {len(plan.remaining)} 步，合计 "
        f"{quantity_text(plan.remaining_cost, '元')}）"
    )
    for header in ("指标", "补充量", "费用", "涉及学校"):
        table.add_column(header, justify="left" if header == "指标" else "right")
    totals: dict[str, list[float]] = {}
    units: dict[str, tuple[str, str]] = {}
    schools: dict[str, set[object]] = {}
    for step in plan.remaining:
        for item in step.items:
            entry = totals.setdefault(item.indicator, [0.0, 0.0])
            entry[0] += item.amount
            entry[1] += item.cost
            units[item.indicator] = (f"{item.label}（{item.what}）", item.unit)
            schools.setdefault(item.indicator, set()).add(step.origin)
    for ind in plan.standard.indicators:
        if ind.id in totals:
            amount, cost = totals[ind.id]
            label, unit = units[ind.id]
            table.add_row(
                esc(label),
                quantity_text(amount, unit),
                quantity_text(cost, "元"),
                str(len(schools[ind.id])),
            )
    console.print(table)
    teachers = (
        f"，另需教师名额 {plan.remaining_teachers:,.0f} 名" if plan.remaining_teachers else ""
    )
    console.print(
        f"完整补充方案共 {quantity_text(plan.full_cost, '元')}；本预算之后还需 "
        f"{quantity_text(plan.remaining_cost, '元')}{teachers}"
        "（各校明细见 -o 方案.xlsx 的“余下”表）。",
        highlight=False,
    )
