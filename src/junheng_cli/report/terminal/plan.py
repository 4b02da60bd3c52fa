"""What-if plans in the terminal (rich): the plan of additions, teacher transfers, and the
试算 of a scenario file. Rounds for display only."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape as esc
from rich.text import Text

from junheng_cli.model.fields import FIELDS, quantity_text
from junheng_cli.report.terminal.common import CV_DECIMALS, number, titled_table, verdict
from junheng_cli.report.terminal.evaluation import render_evaluation
from junheng_cli.report.wording.plan import (
    LEAST,
    STOPS,
    TRANSFER_METHOD,
    direction_text,
    first_step,
    method_text,
)
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.plan import (
    TEACHING_POINT,
    LevelChange,
    Plan,
    PlanAddition,
    ScenarioOutcome,
    TransferList,
    Transfers,
)
from junheng_cli.workflows.scenario import MEASURE, AppliedChange, CellChange, split_column


def place_text(type_name: str, area: str | None) -> str:
    """（乡村） / （乡村教学点）: the school's 城乡类型 (and 教学点) beside its name."""
    point = TEACHING_POINT if TEACHING_POINT in type_name else ""
    return f"（{area or '城乡类型未填'}{point}）"


def _heading(console: Console, title: str, standard: Standard) -> None:
    console.print(f"[bold]junheng · {title}[/] · {standard.name}（{standard.id}）")
    if standard.example:
        console.print("[bold yellow]注意：这是示例标准文件，数值未经正式文件核实。[/]")


def render_plan(console: Console, plan: Plan) -> None:
    mode = "全部补到标准值，--full" if plan.full else "最少补充量"
    _heading(console, f"补短板方案（{mode}）", plan.standard)
    console.print(method_text(plan), highlight=False)
    console.print(LEAST, highlight=False)
    if plan.scenario is None:
        console.print()
        schools = "每所学校都已达到学校达标规则、" if plan.standard.school_rule else ""
        console.print(f"[bold green]{schools}各项差异系数都在限值以内：无需补充。[/]")
        return
    console.print()
    render_level_changes(console, plan.levels, plan.standard, "补充前", "补充后")
    console.print()
    _render_totals(console, plan)
    console.print()
    _render_school_additions(console, plan)
    _render_conclusion(console, plan.levels, "按此方案补充后")


def _render_conclusion(console: Console, levels: list[LevelChange], when: str) -> None:
    parts = "；".join(f"{lv.name} {verdict(lv.passed_after)}" for lv in levels)
    reached = all(lv.passed_after for lv in levels)
    tail = "" if reached else "（未达标的见上表，需要另作安排）"
    console.print(f"[bold]结论[/]：{when}，{parts}{tail}")


def render_level_changes(
    console: Console,
    levels: list[LevelChange],
    standard: Standard,
    before: str = "变化前",
    after: str = "变化后",
) -> None:
    each = standard.judgement.mode == "each"
    for lv in levels:
        table = titled_table(f"{lv.name}：差异系数 {before} → {after}")
        table.add_column("指标")
        table.add_column(f"全县平均值（{before} → {after}）", justify="right")
        table.add_column(f"差异系数（{before}）", justify="right")
        table.add_column(f"差异系数（{after}）", justify="right")
        table.add_column("限值", justify="right")
        for cv in lv.cvs:
            limit = cv.limit if each else None
            table.add_row(
                cv.label,
                f"{number(cv.mean_before, cv.decimals)} → {number(cv.mean_after, cv.decimals)}",
                _cv_cell(cv.before, limit),
                _cv_cell(cv.after, limit),
                number(limit, 2) if each else "—",
            )
        composite_limit = None if each else lv.composite_limit
        table.add_row(
            "综合差异系数" + ("（仅报告）" if each else ""),
            "",
            _cv_cell(lv.composite_before, composite_limit),
            _cv_cell(lv.composite_after, composite_limit),
            "—" if each else number(lv.composite_limit, 2),
            end_section=True,
        )
        console.print(table)
        line = (
            f"  {lv.name}：差异系数 {verdict(lv.cv_passed_before)} → {verdict(lv.cv_passed_after)}"
        )
        if lv.failed_before is not None:
            line += f"；未达标学校 {lv.failed_before} → {lv.failed_after} 所"
        line += f"；结论 {verdict(lv.passed_before)} → {verdict(lv.passed_after)}"
        console.print(line)


def _cv_cell(value: float | None, limit: float | None) -> str:
    text = number(value, CV_DECIMALS)
    if value is None or limit is None:
        return text
    return f"[red]{text}[/]" if value > limit else f"[green]{text}[/]"


def _render_totals(console: Console, plan: Plan) -> None:
    table = titled_table("全县合计（每项指标分别是最少补充量，各项不能相加）")
    for header in ("指标", first_step(plan), "降低差异系数", "合计", "涉及学校"):
        table.add_column(header, justify="left" if header == "指标" else "right")
    for total in plan.totals:
        table.add_row(
            f"{total.label}（{total.what}）",
            quantity_text(total.to_threshold, total.unit) if total.to_threshold else "—",
            quantity_text(total.for_cv, total.unit) if total.for_cv else "—",
            quantity_text(total.total, total.unit) if total.total else "—",
            str(total.schools),
        )
    console.print(table)


def _render_school_additions(console: Console, plan: Plan) -> None:
    by_school: dict[Any, list[PlanAddition]] = {}
    for addition in sorted(plan.additions, key=lambda a: (a.origin.file, a.origin.row)):
        by_school.setdefault(addition.origin, []).append(addition)
    table = titled_table(
        f"各校补充清单（{len(by_school)} 所学校；一贯制学校的校舍、场地、设备按全校计）",
        show_lines=True,
    )
    table.add_column("学校", overflow="fold", ratio=1)
    table.add_column("补充（本校值 → 补充后 / 标准值）", overflow="fold", ratio=3)
    decimals = {ind.id: ind.decimals for ind in plan.standard.indicators}
    for additions in by_school.values():
        mixed = _level_count(plan.standard, additions[0].type) > 1
        lines = [
            _addition_line(a, decimals[a.indicator], mixed, first_step(plan)) for a in additions
        ]
        first = additions[0]
        table.add_row(Text(f"{first.name}\n{first.type}"), "\n".join(lines))
    console.print(table)


def _level_count(standard: Standard, school_type: str) -> int:
    kind = standard.school_types.get(school_type)
    return len([lv for lv in kind.levels if lv in standard.levels]) if kind else 1


def _addition_line(addition: PlanAddition, decimals: int, mixed: bool, first: str) -> str:
    parts = []
    if addition.to_threshold:
        parts.append(f"{first} {quantity_text(addition.to_threshold, addition.unit)}")
    if addition.for_cv:
        parts.append(f"降低差异系数 {quantity_text(addition.for_cv, addition.unit)}")
    level = f"{addition.level.chinese}" if addition.level is not None and mixed else ""
    values = "；".join(
        (f"{v.level.chinese} " if addition.level is None and mixed else "")
        + f"{number(v.before, decimals)} → {number(v.after, decimals)}"
        + (f" / {number(v.threshold, decimals)}" if v.threshold is not None else "")
        for v in addition.values
    )
    return (
        f"{level}{esc(addition.label)} +{quantity_text(addition.total, addition.unit)}"
        f"（{'，'.join(parts)}）：{values}"
    )


def render_transfers(console: Console, transfers: Transfers) -> None:
    _heading(console, "教师交流轮岗建议（不新增教师）", transfers.standard)
    console.print(TRANSFER_METHOD, highlight=False)
    console.print(direction_text(transfers.direction), highlight=False)
    console.print()
    quiet = []
    for found in transfers.lists:
        if not found.moves:
            quiet.append(found)
            continue
        _render_transfer_list(console, found)
        console.print()
    for found in quiet:
        console.print(
            f"  {found.level_name}{found.label}：差异系数 {number(found.cv_before, CV_DECIMALS)}，"
            f"{STOPS[found.stop]}"
        )
    if transfers.outcome is None:
        return
    console.print()
    console.print(
        f"[bold]全部 {transfers.teachers} 名教师调动后一并复核[/]"
        "（随之调出的其他类别教师也已计入）："
    )
    levels = transfers.outcome.levels
    render_level_changes(console, levels, transfers.standard, "调动前", "调动后")
    _render_conclusion(console, levels, "调动后")


def _render_transfer_list(console: Console, found: TransferList) -> None:
    decimals = 2
    title = (
        f"{found.level_name}“{found.name}”差异系数 {number(found.cv_before, CV_DECIMALS)} → "
        f"{number(found.cv_after, CV_DECIMALS)}（限值 {number(found.limit, 2)}）："
        f"调动 {found.teachers} 名{found.what}，{STOPS[found.stop]}"
    )
    table = titled_table(title)
    for header in (
        "调出学校",
        "本校值 调出前 → 后",
        "标准值",
        "调入学校",
        "本校值 调入前 → 后",
        "人数",
    ):
        table.add_column(header, justify="left" if "学校" in header else "right")
    for move in found.moves:
        table.add_row(
            Text(move.source_name + place_text(move.source_type, move.source_area)),
            f"{number(move.source_before, decimals)} → {number(move.source_after, decimals)}",
            number(move.source_threshold, decimals),
            Text(move.target_name + place_text(move.target_type, move.target_area)),
            f"{number(move.target_before, decimals)} → {number(move.target_after, decimals)}",
            str(move.count),
        )
    console.print(table)


def render_scenario(console: Console, outcome: ScenarioOutcome) -> None:
    """The 试算 of a scenario: a heading saying what follows, the changes as applied, the CVs and
    verdicts before → after, then the full evaluation after the changes."""
    standard = outcome.after.standard
    source = outcome.applied.source
    _heading(console, f"试算：{source}", standard)
    console.print(
        f"[bold]以下是{esc(source)} 中的变化执行后的评估，原工作簿未改动。[/]先列出方案中的变化、"
        "变化前后的差异系数和结论，再给出变化后的完整评估。",
        highlight=False,
    )
    console.print()
    table = titled_table(f"方案中的变化（{len(outcome.applied.changes)} 项，按顺序执行）")
    table.add_column("项", justify="right")
    table.add_column("变化", overflow="fold", ratio=2)
    table.add_column("数据：变化前 → 变化后", overflow="fold", ratio=2)
    for change in outcome.applied.changes:
        table.add_row(str(change.entry), _change_text(change), _cells_text(change))
    console.print(table)
    console.print()
    render_level_changes(console, outcome.levels, standard)
    _render_conclusion(console, outcome.levels, "按方案变化后")
    console.print()
    console.rule("方案变化后的完整评估（非原数据）")
    render_evaluation(console, outcome.after)
    console.print()
    console.print(
        f"[bold]以上是{esc(source)} 中的变化执行后的评估；原工作簿未改动。[/]", highlight=False
    )


def _change_text(change: AppliedChange) -> Text:
    text = Text(change.description)
    for line in change.carried:
        text.append(f"\n{line}", style="yellow")
    return text


def _cells_text(change: AppliedChange) -> Text:
    return Text(
        "\n".join(
            f"{c.school} {c.header} {cell_quantity(c, c.before)} → {cell_quantity(c, c.after)}"
            for c in change.cells
        )
    )


def cell_quantity(cell: CellChange, value: float) -> str:
    """2,080,810 元 → 208.08 万元; 1,800 ㎡; 22 名: never scientific notation."""
    unit = FIELDS[split_column(cell.column)[0]].unit
    return quantity_text(value, MEASURE.get(unit, unit))
