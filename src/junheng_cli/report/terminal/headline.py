"""The headline, the bill and the short lists of the default terminal report.

The full lists (every failing school, every split unit, contributors, Theil) are printed with
``--detail``; here each long list says how many more there are and where to find them.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape as esc
from rich.table import Table
from rich.text import Text

from junheng_cli.compute.headline import WORST_RULE, Headline, WorstSchool, bill_amount
from junheng_cli.model.results import Evaluation, IndicatorResult, LevelResult

WORST_LISTED = 10
MORE_WHERE = "完整清单见 --detail，或 -o 报告.xlsx 的“{sheet}”工作表"


def render_headline(console: Console, headline: Headline) -> None:
    style = "bold green" if headline.passed else "bold red" if headline.passed is False else "bold"
    console.print(Text(headline.verdict, style=style))
    if headline.bill_text:
        console.print(Text(headline.bill_text))


def render_bill(console: Console, headline: Headline) -> None:
    """The bill as a table: what each indicator needs, county-wide, and in how many schools."""
    if not headline.bill:
        return
    table = Table(
        title="补短板清单：使每所学校各项指标达到标准，全县需补充（各校差距之和）",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("需补充")
    table.add_column("数量", justify="right")
    table.add_column("涉及学校", justify="right")
    for item in headline.bill:
        table.add_row(item.what, bill_amount(item), f"{item.schools} 所")
    console.print()
    console.print(table)


def render_worst(console: Console, evaluation: Evaluation, worst: list[WorstSchool]) -> None:
    """The failing school units with the largest shortfall, and how many more there are."""
    failing = sum(1 for u in evaluation.units if u.passed is False)
    if not worst:
        return
    table = Table(
        title=f"差距最大的 {len(worst)} 个学段单位（共 {failing} 个未达标）",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("学校", overflow="fold")
    table.add_column("学段", no_wrap=True)
    table.add_column("达标", justify="right", no_wrap=True)
    table.add_column("未达标的指标", overflow="fold")
    for school in worst:
        table.add_row(
            Text(school.name),
            school.level,
            f"{school.met}/{school.indicators}",
            Text("、".join(school.below)),
        )
    console.print()
    console.print(table)
    notes = "排序：" + WORST_RULE
    if failing > len(worst):
        notes += f"。另有 {failing - len(worst)} 个未达标；" + MORE_WHERE.format(sheet="学校达标")
    console.print(Text(notes, style="dim"))


def render_fix_first_lines(console: Console, evaluation: Evaluation) -> None:
    """One line per difference coefficient over its limit: the schools to fix first."""
    lines = [
        _fix_first_line(level, ind)
        for level in evaluation.levels
        for ind in level.indicators
        if ind.fix_first
    ]
    if not lines:
        return
    console.print()
    console.print("[bold]先补这些学校[/]（按顺序补到标准或均值，差异系数降到限值以下）：")
    for line in lines:
        console.print(Text(line))


def _fix_first_line(level: LevelResult, ind: IndicatorResult) -> str:
    steps = ind.fix_first
    shown = steps[:3]
    names = "、".join(s.name for s in shown)
    more = f" 等 {len(steps)} 所" if len(steps) > len(shown) else ""
    after = steps[-1].cv_after
    return (
        f"  {level.name} {ind.label} {ind.cv:.4f} > {ind.limit:.2f}：{names}{more}"
        f" → 补后 {after:.4f}"
    )


def render_more(console: Console, evaluation: Evaluation) -> None:
    """What the default report leaves out, with where it is."""
    lines = []
    split = {u.origin for u in evaluation.units if u.is_split}
    if split:
        lines.append(f"拆分学校 {len(split)} 所：全校数量按加权在校生数分到各学段的明细")
    uses = evaluation.allowance_uses
    if uses:
        lines.append(
            f"按规程（2019 年督导评估规程）放宽的项目 {len(uses)} 项：严格口径与按规程并列"
        )
    if evaluation.levels:
        lines.append("拉高各项差异系数最多的学校")
    if evaluation.inequality:
        lines.append("差距来源：泰尔指数按城乡类型、所在乡镇分解")
    if not lines:
        return
    console.print()
    console.print("[dim]未在此列出（见 --detail，或 -o 报告.xlsx）：[/]")
    for line in lines:
        console.print(f"[dim]  · {esc(line)}[/]")
