"""What-if plans on the terminal (rich), as JSON and as xlsx, and a plan written back out as a
scenario file that ``junheng plan --scenario`` applies. Rounds for display only."""

from __future__ import annotations

import dataclasses
import math
import re
from enum import Enum
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from rich.console import Console
from rich.markup import escape as esc
from rich.text import Text

from junheng_cli import __version__
from junheng_cli.io.write import display_width, write_atomic, write_text_atomic
from junheng_cli.model.fields import FIELDS, Level, quantity_text
from junheng_cli.report.json import evaluation_document
from junheng_cli.report.terminal.evaluation import (
    CV_DECIMALS,
    number,
    render_evaluation,
    titled_table,
    verdict,
)
from junheng_cli.report.xlsx.evaluation import frame_sheet
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.plan.core import (
    BLOCKED,
    CAP,
    NO_DONOR,
    NO_GAIN,
    REACHED,
    TEACHING_POINT,
    WITHIN,
    LevelChange,
    Plan,
    PlanAddition,
    ScenarioOutcome,
    TransferDirection,
    TransferList,
    Transfers,
)
from junheng_cli.workflows.scenario.core import (
    MEASURE,
    AppliedChange,
    CellChange,
    Scenario,
    scenario_data,
    scenario_yaml,
    split_column,
)

CV_STEP = (
    "差异系数仍超过限值的，再把最低的一批学校一起补到同一水平（取使差异系数达到限值的最低水平）。"
    "教师、教室为整数，面积取整平方米，设备取整元，一律向上取整；补充后重新计算并复核。"
)
LEAST = (
    "“最少”是逐项指标而言：各项指标单位不同，不能相加；同一名教师可能既是骨干教师又是高学历教师，"
    "各类教师人数也不能相加为总人数。新增的各类教师按新进专任教师计入专任教师数，"
    "专任教师数（师生比）的补充量是计入这些新进教师之后再算的。"
)
TRANSFER_METHOD = (
    "方法：同一学段内，每次调动一名教师：调出学校调出后仍须达到本校标准值（含随之调出的其他类别）"
    "且高于全县平均值，调入学校低于全县平均值；每次取使差异系数下降最多的一对学校，"
    "直到差异系数达到限值、再调动也不能降低，或达到调动上限。不新增教师。"
)
FOR_CV_COLUMN = "缩小校际差距再补"  # not "差异系数": such columns get the CV number format
STOPS = {
    WITHIN: "在限值以内，无需调动",
    REACHED: "调动后达到限值",
    NO_GAIN: "再调动一名教师也不能降低差异系数，仍未达到限值",
    NO_DONOR: "没有可调出的学校（调出后须达到本校标准值并高于全县平均值），仍未达到限值",
    CAP: "达到调动上限，仍未达到限值",
    BLOCKED: "按调动方向（见上）没有可行的调动，仍未达到限值",
}


def direction_text(direction: TransferDirection) -> str:
    """The direction rule the transfers followed, as the plan states it (terminal, JSON, xlsx)."""
    if not direction.area_known:
        where = (
            "调动方向：工作簿没有可用的城乡类型（城区/镇区/乡村），未能按城乡方向限制调动，"
            "只从强校调往弱校；请补填城乡类型列后重算。"
        )
    elif direction.allow_rural_to_urban:
        where = (
            "调动方向：已允许从乡村、镇区学校调往更靠城区的学校（--allow-rural-to-urban），"
            "只从强校调往弱校。"
        )
    else:
        where = (
            "调动方向（交流轮岗）：城区 → 城区、镇区或乡村，镇区 → 镇区或乡村，乡村 → 乡村；"
            "不从乡村、镇区学校调往更靠城区的学校（分析人员可用 --allow-rural-to-urban 放开），"
            "只从强校调往弱校。"
        )
    where += "不从教学点调出教师。"
    if direction.without_area:
        shown = "、".join(direction.without_area[:5])
        more = f"等 {len(direction.without_area)} 所" if len(direction.without_area) > 5 else ""
        where += (
            f"未填城乡类型（或无法识别）的学校：{shown}{more}，只在方向确定时参与调动"
            "（只调往乡村学校，只从城区学校调入）。"
        )
    return where


def _place(type_name: str, area: str | None) -> str:
    """（乡村） / （乡村教学点）: the school's 城乡类型 (and 教学点) beside its name."""
    point = TEACHING_POINT if TEACHING_POINT in type_name else ""
    return f"（{area or '城乡类型未填'}{point}）"


def method_text(plan: Plan) -> str:
    """What step 1 did (by the mode used) and step 2, in one paragraph."""
    rule = plan.standard.school_rule
    if plan.full:
        first = (
            "方法（--full，补到全部标准值）：每所学校（一贯制学校按学段）每项低于标准值的指标都补到"
            "标准值，已达到学校达标规则的学校也补。"
        )
    elif rule is None:
        first = "方法：本标准没有逐校标准值，只看差异系数。"
    else:
        first = (
            f"方法（默认，按学校达标规则补最少）：已达到学校达标规则（至少 {rule.min_met} 项达到"
            f"标准值、其余不低于标准值的 {rule.floor:.0%}）的学校（一贯制学校按学段）不补；"
            f"未达到的，先把低于标准值 {rule.floor:.0%} 的指标补到该线，再在未达到标准值的指标中"
            "按相对差距（（标准值 − 本校值）/ 标准值）从小到大补到标准值，直到有 "
            f"{rule.min_met} 项达到。其余指标不补到标准值（要全部补到标准值请加 --full）。"
        )
    return first + CV_STEP


def first_step(plan: Plan) -> str:
    """The name of step 1's amounts: 补到标准值 (--full) or 达到学校达标规则."""
    return "补到标准值" if plan.full or plan.standard.school_rule is None else "达到学校达标规则"


# -- the terminal ---------------------------------------------------------------------------------
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
            Text(move.source_name + _place(move.source_type, move.source_area)),
            f"{number(move.source_before, decimals)} → {number(move.source_after, decimals)}",
            number(move.source_threshold, decimals),
            Text(move.target_name + _place(move.target_type, move.target_area)),
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


# -- JSON ------------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """Result objects → JSON-ready values (enums by value, NaN as null)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not isinstance(getattr(value, f.name), Standard)
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _standard(standard: Standard) -> dict[str, Any]:
    return {"id": standard.id, "name": standard.name, "version": standard.version}


def plan_document(plan: Plan) -> dict[str, Any]:
    return {
        "kind": "plan",
        "junheng_version": __version__,
        "standard": _standard(plan.standard),
        "reached": plan.reached,
        "rounds": plan.rounds,
        "mode": "full" if plan.full else "school_rule",
        "method": method_text(plan),
        "note": LEAST,
        "levels": _plain(plan.levels),
        "totals": [{**_plain(t), "total": t.total} for t in plan.totals],
        "additions": [{**_plain(a), "total": a.total} for a in plan.additions],
        "scenario": scenario_data(plan.scenario) if plan.scenario else None,
    }


def transfers_document(transfers: Transfers) -> dict[str, Any]:
    outcome = transfers.outcome
    return {
        "kind": "transfers",
        "junheng_version": __version__,
        "standard": _standard(transfers.standard),
        "method": TRANSFER_METHOD,
        "rule": {"text": direction_text(transfers.direction), **_plain(transfers.direction)},
        "max_moves": transfers.max_moves,
        "teachers_moved": transfers.teachers,
        "lists": [{**_plain(t), "teachers": t.teachers} for t in transfers.lists],
        "levels": _plain(outcome.levels) if outcome else None,
        "scenario": scenario_data(transfers.scenario) if transfers.scenario else None,
    }


def scenario_document(outcome: ScenarioOutcome, lang: str = "zh") -> dict[str, Any]:
    return {
        "kind": "scenario",
        "junheng_version": __version__,
        "standard": _standard(outcome.after.standard),
        "source": outcome.applied.source,
        "changes": _plain(outcome.applied.changes),
        "levels": _plain(outcome.levels),
        "passed_before": outcome.before.passed,
        "passed_after": outcome.after.passed,
        "evaluation": evaluation_document(outcome.after, lang),
    }


# -- xlsx ------------------------------------------------------------------------------------------
def level_frame(levels: list[LevelChange]) -> pd.DataFrame:
    rows = []
    for lv in levels:
        for cv in lv.cvs:
            rows.append(
                {
                    "学段": lv.name,
                    "指标": cv.name,
                    "全县平均值（前）": cv.mean_before,
                    "全县平均值（后）": cv.mean_after,
                    "差异系数（前）": cv.before,
                    "差异系数（后）": cv.after,
                    "限值": cv.limit,
                }
            )
        rows.append(
            {
                "学段": lv.name,
                "指标": "综合差异系数",
                "差异系数（前）": lv.composite_before,
                "差异系数（后）": lv.composite_after,
                "限值": lv.composite_limit if not lv.cvs or lv.cvs[0].limit is None else None,
            }
        )
    return pd.DataFrame(rows)


def _verdict_rows(levels: list[LevelChange]) -> list[tuple[str, object]]:
    def word(passed: bool | None) -> str:
        return "无法判定" if passed is None else "达标" if passed else "未达标"

    rows: list[tuple[str, object]] = []
    for lv in levels:
        rows.append(
            (f"{lv.name}差异系数", f"{word(lv.cv_passed_before)} → {word(lv.cv_passed_after)}")
        )
        if lv.failed_before is not None:
            rows.append((f"{lv.name}未达标学校", f"{lv.failed_before} → {lv.failed_after} 所"))
        rows.append((f"{lv.name}结论", f"{word(lv.passed_before)} → {word(lv.passed_after)}"))
    return rows


def _about(title: str, standard: Standard, rows: list[tuple[str, object]]) -> pd.DataFrame:
    head: list[tuple[str, object]] = [
        ("内容", title),
        ("评估标准", f"{standard.name}（{standard.id}，版本 {standard.version}）"),
        ("junheng 版本", __version__),
    ]
    lines = [
        (label if n == 0 else "", sentence)
        for label, text in head + rows
        for n, sentence in enumerate(_sentences(text))
    ]
    return pd.DataFrame(lines, columns=["项目", "说明"])


def _sentences(text: object) -> list[object]:
    """A long note as one sentence a row: a cell does not wrap, and a printed page would
    shrink to the longest line."""
    if not isinstance(text, str) or len(text) <= 40:
        return [text]
    return [part for part in re.split(r"(?<=[。；])", text) if part]


def plan_frames(plan: Plan) -> dict[str, pd.DataFrame]:
    mode = "全部补到标准值，--full" if plan.full else "最少补充量"
    about = _about(
        f"补短板方案（{mode}）",
        plan.standard,
        [("方法", method_text(plan)), ("说明", LEAST), *_verdict_rows(plan.levels)],
    )
    totals = pd.DataFrame(
        [
            {
                "指标": t.name,
                "补充内容": t.what,
                "单位": t.unit,
                "补到标准值": t.to_threshold,
                FOR_CV_COLUMN: t.for_cv,
                "合计": t.total,
                "涉及学校": t.schools,
            }
            for t in plan.totals
        ]
    )
    return {
        "说明": about,
        "差异系数": level_frame(plan.levels),
        "全县合计": totals.rename(columns={"补到标准值": first_step(plan)}),
        "各校补充": school_additions_frame(plan),
    }


def school_additions_frame(plan: Plan) -> pd.DataFrame:
    """One row per school, indicator and quantity; each level part's value before and after and
    its threshold as numbers, in a column per level (a 九年一贯制 school's whole-school addition
    raises both parts)."""
    levels = [lv for lv in Level if any(v.level == lv for a in plan.additions for v in a.values)]
    rows = []
    for a in plan.additions:
        row: dict[str, object] = {
            "学校标识码": a.code,
            "学校名称": a.name,
            "学校类型": a.type,
            "学段": a.level.chinese if a.level is not None else "全校",
            "指标": a.indicator_name,
            "补充内容": a.what,
            "单位": a.unit,
            first_step(plan): a.to_threshold,
            FOR_CV_COLUMN: a.for_cv,
            "合计": a.total,
        }
        parts = {v.level: v for v in a.values}
        for lv in levels:
            part = parts.get(lv)
            row[f"{lv.chinese}本校值（前）"] = part.before if part else None
            row[f"{lv.chinese}本校值（后）"] = part.after if part else None
            row[f"{lv.chinese}标准值"] = part.threshold if part else None
        row["行"] = a.origin.row
        rows.append(row)
    return pd.DataFrame(rows)


def transfer_frames(transfers: Transfers) -> dict[str, pd.DataFrame]:
    levels = transfers.outcome.levels if transfers.outcome else []
    about = _about(
        "教师交流轮岗建议（不新增教师）",
        transfers.standard,
        [
            ("方法", TRANSFER_METHOD),
            ("调动方向", direction_text(transfers.direction)),
            *_verdict_rows(levels),
        ],
    )
    lists = pd.DataFrame(
        [
            {
                "学段": t.level_name,
                "指标": t.name,
                "差异系数（前）": t.cv_before,
                "差异系数（后）": t.cv_after,
                "限值": t.limit,
                "调动人数": t.teachers,
                "结果": STOPS[t.stop],
            }
            for t in transfers.lists
        ]
    )
    moves = pd.DataFrame(
        [
            {
                "学段": t.level_name,
                "指标": t.name,
                "调出学校": m.source_name,
                "调出学校城乡类型": _area_cell(m.source_area),
                "调出学校类型": m.source_type,
                "调出前": m.source_before,
                "调出后": m.source_after,
                "调出学校标准值": m.source_threshold,
                "调入学校": m.target_name,
                "调入学校城乡类型": _area_cell(m.target_area),
                "调入学校类型": m.target_type,
                "调入前": m.target_before,
                "调入后": m.target_after,
                "人数": m.count,
            }
            for t in transfers.lists
            for m in t.moves
        ]
    )
    return {"说明": about, "各项指标": lists, "调动清单": moves, "差异系数": level_frame(levels)}


def _area_cell(area: str | None) -> str:
    return area or "未填"


def scenario_frames(outcome: ScenarioOutcome) -> dict[str, pd.DataFrame]:
    about = _about(
        f"方案试算：{outcome.applied.source}", outcome.after.standard, _verdict_rows(outcome.levels)
    )
    cells = pd.DataFrame(
        [
            {
                "项": change.entry,
                "变化": change.description,
                "学校": cell.school,
                "数据": cell.header,
                "变化前": cell.before,
                "变化后": cell.after,
                "说明": "；".join(change.carried),
            }
            for change in outcome.applied.changes
            for cell in change.cells
        ]
    )
    return {"说明": about, "变化": cells, "差异系数": level_frame(outcome.levels)}


VALUE_FORMAT = "#,##0.00"  # the values of indicators, thresholds included
WRAP_AT = 40  # text wider than this wraps in its cell instead of running into the next


def write_xlsx(frames: dict[str, pd.DataFrame], target: Path) -> None:
    """Plain sheets (as ``report.xlsx.write_frames``), with indicator values to two places and
    long text wrapped in its column, so that nothing runs into the next column in print."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in frames.items():
        formats = {
            str(c): "0.0000" if "差异系数" in str(c) else VALUE_FORMAT
            for c in frame.columns
            if "差异系数" in str(c) or _is_value_column(str(c))
        }
        ws = workbook.create_sheet(name)
        frame_sheet(ws, frame, formats)
        _fit_text(ws)
    write_atomic(target, lambda tmp: workbook.save(tmp))


def _is_value_column(name: str) -> bool:
    return any(word in name for word in ("本校值", "标准值", "平均值", "调出前", "调出后")) or (
        name in ("调入前", "调入后", "限值")
    )


def _fit_text(ws: Worksheet) -> None:
    """Wrap long text at ``WRAP_AT`` characters; make a column wide enough for a third of its
    header (headers wrap on three lines)."""
    for column in ws.iter_cols():
        header = column[0]
        letter = get_column_letter(header.column)
        widest = max((_width(c.value) for c in column[1:] if isinstance(c.value, str)), default=0)
        width = ws.column_dimensions[letter].width or 8
        width = max(width, math.ceil(_width(header.value) / 3) + 2)
        if widest > WRAP_AT:
            width = WRAP_AT + 2
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                lines = math.ceil(_width(cell.value) / WRAP_AT) or 1
                height = ws.row_dimensions[cell.row].height or 15
                ws.row_dimensions[cell.row].height = max(height, 15 * lines)
        ws.column_dimensions[letter].width = width


def _width(value: object) -> int:
    return display_width("" if value is None else str(value))


# -- the scenario file -------------------------------------------------------------------------
def write_scenario_file(scenario: Scenario, target: Path, inputs: list[Path]) -> None:
    header = [
        f"{scenario.title or 'junheng 方案'}，junheng {__version__} 生成",
        "输入：" + "、".join(str(p) for p in inputs),
        f"复核：junheng plan {' '.join(str(p) for p in inputs)} --standard "
        f"{scenario.standard or '…'} --scenario {target}",
        "增加：学校（名称或标识码）、增加（数量名称）、数量，教师另写学段；"
        "调动：调出、调入、教师、数量、学段。可修改后再试算。",
    ]
    write_text_atomic(target, scenario_yaml(scenario, header))
