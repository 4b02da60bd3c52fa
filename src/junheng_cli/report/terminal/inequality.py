"""Where an evaluation's imbalance comes from: the schools that raise each coefficient most,
and the Theil decomposition by 城乡类型 and 所在乡镇."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape as esc

from junheng_cli.model.inequality_results import TheilSplit
from junheng_cli.model.results import Evaluation, IndicatorResult
from junheng_cli.report.frames.inequality import (
    BETWEEN_PLACE,
    indicator_split,
    theil_notes,
    where_sentence,
)
from junheng_cli.report.terminal.common import CV_DECIMALS, NOT_GIVEN, number, titled_table


def render_contributors(console: Console, evaluation: Evaluation) -> None:
    table = titled_table(
        title="拉高差异系数最多的学校（占加权方差的比例；↑高于均值，↓低于均值）",
    )
    table.add_column("学段")
    table.add_column("指标")
    table.add_column("学校（本校值，占方差比例）")
    for level in evaluation.levels:
        for ind in level.indicators:
            table.add_row(level.name, ind.name, _contributors_text(ind), end_section=True)
    console.print()
    console.print(table)


def _contributors_text(ind: IndicatorResult) -> str:
    return "\n".join(
        f"{esc(c.name)} {number(c.value, ind.decimals)}{'↑' if c.above_mean else '↓'} "
        f"{c.variance_share:.0%}"
        for c in ind.contributors
    )


def render_inequality(console: Console, evaluation: Evaluation) -> None:
    if not evaluation.inequality:
        return
    table = titled_table(
        title="差距来源（泰尔指数按城乡类型、所在乡镇分解；组间占比 ≥ 50% 即差距主要在组间）",
        caption="泰尔指数：0 为各校相同，越大差距越大（差距不大时约为差异系数² / 2）",
        caption_justify="left",
    )
    table.add_column("学段")
    table.add_column("指标")
    table.add_column("泰尔指数", justify="right")
    for g in evaluation.inequality[0].groupings:
        table.add_column(f"{BETWEEN_PLACE[g.field]}占比", justify="right")
    table.add_column("判断")
    for level in evaluation.inequality:
        for n, ind in enumerate(evaluation.standard.indicators):
            splits = [indicator_split(g, ind.id) for g in level.groupings]
            theil = next((s.theil for s in splits if s is not None), None)
            shares = [_share(s) for s in splits]
            last = n == len(evaluation.standard.indicators) - 1
            table.add_row(
                level.name,
                ind.label,
                number(theil, CV_DECIMALS),
                *shares,
                where_sentence(level, ind.id),
                end_section=last,
            )
    console.print()
    console.print(table)
    for note in theil_notes(evaluation):
        console.print(f"  [yellow]{esc(note)}[/]")


def _share(split: TheilSplit | None) -> str:
    if split is None:
        return NOT_GIVEN
    return "—" if split.between_share is None else f"{split.between_share:.0%}"
