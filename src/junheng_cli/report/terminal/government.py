"""The evaluation report's 政府保障程度 items computed from the school data (school size,
class sizes, special rooms) and the county-level items the analyst supplies."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape as esc
from rich.table import Table
from rich.text import Text

from junheng_cli.model.fields import FIELDS
from junheng_cli.model.government_results import CountyItemResult, GovernmentResult
from junheng_cli.model.results import Evaluation
from junheng_cli.report.terminal.common import NOT_GIVEN, titled_table, verdict
from junheng_cli.standards.model import Standard

LIST_AT_MOST = 15
SHORT_LIST = 3  # the default report's lists of schools under 政府保障程度


def render_government(
    console: Console, result: GovernmentResult, standard: Standard, listed: int = LIST_AT_MOST
) -> None:
    console.print()
    console.print("[bold]政府保障程度：可由学校数据计算的项目[/]")
    rules = standard.government
    if result.school_size is None or rules is None or rules.school_size is None:
        console.print(f"  学校规模：{NOT_GIVEN}")
    else:
        size = rules.school_size
        others = "".join(f"，{t} ≤ {n} 人" for t, n in size.by_type.items())
        over = [c for c in result.school_size if not c.passed]
        console.print(
            f"  学校规模（≤ {size.max_students} 人{others}；按义务教育阶段在校生）："
            f"{len(result.school_size)} 所中 {len(over)} 所超规模 → {verdict(not over)}"
        )
        for c in over:
            console.print(
                Text(f"    {c.name}（{c.type}）{c.students:,} 人，超出 {c.students - c.limit:,} 人")
            )
        rescued = [
            c
            for c in result.school_size
            if c.strict_limit is not None and c.students > c.strict_limit
        ]
        if rescued:
            console.print(
                f"    按规程：{len(rescued)} 所超过严格上限、按放宽的上限不超规模（见“按规程”表）"
            )
    if result.class_levels is None:
        console.print(
            f"  班额：{NOT_GIVEN}（可在学校表填写班级数和大班额、超大班额班级数，或附“班级”工作表）"
        )
    else:
        _render_class_sizes(console, result, listed)
    if result.rooms is None:
        console.print(f"  音乐、美术专用教室：{NOT_GIVEN}")
    else:
        short = [r for r in result.rooms if r.passed is False]
        unknown = [r for r in result.rooms if r.passed is None]
        names = "、".join(result.room_names.values())
        line = f"  {names}（每 12 个班各 1 间）：{len(result.rooms)} 所中 {len(short)} 所不足"
        if unknown:
            line += f"，{len(unknown)} 所未提供"
        console.print(line)
        for r in short[:listed]:
            have = "、".join(
                f"{result.room_names[f]} {'未提供' if n is None else n} 间"
                for f, n in r.rooms.items()
            )
            console.print(
                Text(f"    {r.name}：{r.classes} 个班应各有 {r.required} 间，现有 {have}")
            )
        _more(console, len(short) - listed, listed)
    if result.room_areas is not None and rules is not None and rules.special_rooms is not None:
        limits = "、".join(
            f"{FIELDS[f].header.removesuffix('单间面积')} ≥ {a:g} ㎡"
            for f, a in rules.special_rooms.min_area.items()
        )
        small = [r for r in result.room_areas if not r.passed]
        eased = [r for r in result.room_areas if r.allowance is not None and not r.strict_passed]
        line = (
            f"  专用教室单间面积（{limits}）：{len(result.room_areas)} 间（每校每类最小一间）中"
            f" {len(small)} 间不足"
        )
        if eased:
            line += f"；按规程：{len(eased)} 间不足严格标准、按规程标准判定（见“按规程”表）"
        console.print(line)
        for r in small[:listed]:
            console.print(Text(f"    {r.name} {r.header} {r.area:g} ㎡ < {r.min_area:g} ㎡"))
        _more(console, len(small) - listed, listed)


def _more(console: Console, hidden: int, listed: int) -> None:
    if hidden > 0:
        where = "--format json 列出全部" if listed >= LIST_AT_MOST else "见 --detail"
        console.print(f"    [dim]另有 {hidden} 所未列出（{where}）[/]")


def _render_class_sizes(console: Console, result: GovernmentResult, listed: int) -> None:
    assert result.class_levels is not None
    console.print(
        f"  班额（数据来自{result.class_source}；大班额 56–65 人，超大班额 66 人及以上）："
    )
    for c in result.class_levels:
        over = (
            f"，超过 {c.limit} 人的班 {c.over_limit} 个"
            if c.over_limit is not None
            else f"（是否超过 {c.limit} 人需“班级”工作表）"
        )
        console.print(
            f"    {c.level.chinese} {c.classes:,} 个班：大班额 {c.large} 个"
            f"（{c.large_share:.1%}），超大班额 {c.huge} 个（{c.huge_share:.1%}）{over}"
        )
    crowded = [c for c in result.class_schools if c.large or c.huge or c.over_limit]
    if crowded:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
        for header in ("学校", "学段", "班级数", "大班额", "超大班额", "超过标准班额"):
            table.add_column(header, justify="left" if header == "学校" else "right")
        for c in sorted(crowded, key=lambda c: (-c.huge, -c.large))[:listed]:
            over = "—" if c.over_limit is None else str(c.over_limit)
            table.add_row(
                Text(c.name), c.level.chinese, str(c.classes), str(c.large), str(c.huge), over
            )
        console.print(table)
        _more(console, len(crowded) - listed, listed)


def render_county_item_counts(console: Console, evaluation: Evaluation) -> None:
    items = evaluation.county_items
    failed = [i for i in items if i.passed is False]
    missing = [i for i in items if i.passed is None]
    console.print()
    line = f"[bold]县级指标[/] {len(items)} 项：{len(items) - len(failed) - len(missing)} 项达标"
    line += f"、{len(failed)} 项未达标"
    if missing:
        line += f"、{len(missing)} 项未提供（{'、'.join(esc(i.name) for i in missing)}）"
    console.print(line)
    for item in failed:
        rule = " 且 ".join(_bounds(item))
        value = f"{item.value:g}{item.unit}"
        console.print(Text(f"    {item.name}：{value}，标准 {rule}"))


def _bounds(item: CountyItemResult) -> list[str]:
    return [
        part
        for part in (
            f"≥ {item.min:g}{item.unit}" if item.min is not None else "",
            f"≤ {item.max:g}{item.unit}" if item.max is not None else "",
        )
        if part
    ]


def render_county_items(console: Console, evaluation: Evaluation) -> None:
    table = titled_table(
        title="县级指标（由分析人员填报：“县级指标”工作表或 --county-items 文件）",
    )
    for header in ("指标", "标准", "本县", "判定"):
        table.add_column(header, justify="left" if header == "指标" else "right")
    for item in evaluation.county_items:
        rule = " 且 ".join(_bounds(item))
        value = NOT_GIVEN if item.value is None else f"{item.value:g}{item.unit}"
        judged = NOT_GIVEN if item.passed is None else verdict(item.passed)
        table.add_row(item.name, rule, value, judged)
    console.print()
    console.print(table)
