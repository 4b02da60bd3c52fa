"""The terminal report (rich), in Chinese. Rounds for display only."""

from __future__ import annotations

import os
from pathlib import Path

from rich import box
from rich.console import Console
from rich.markup import escape as esc
from rich.table import Table
from rich.text import Text

from junheng_cli.compute.headline import headline_of, worst_schools
from junheng_cli.model.fields import FIELDS, Level, quantity_text
from junheng_cli.model.findings import Finding, Severity
from junheng_cli.model.results import (
    Check,
    CountyItemResult,
    Evaluation,
    GovernmentResult,
    IndicatorResult,
    LevelResult,
    Origin,
    SheetInfo,
    TheilSplit,
)
from junheng_cli.report.frames import BETWEEN_PLACE, indicator_split, theil_notes, where_sentence
from junheng_cli.report.terminal.headline import (
    MORE_WHERE,
    WORST_LISTED,
    render_bill,
    render_fix_first_lines,
    render_headline,
    render_more,
    render_worst,
)
from junheng_cli.standards.files import (
    LOCAL_DIR_NAME,
    ORIGIN_LABELS,
    builtin_standards_dir,
    env_dirs,
)
from junheng_cli.standards.model import ListedStandard, Standard, StandardError

CV_DECIMALS = 4
PIPED_WIDTH = 120  # when the report goes to a file or a pipe, not a terminal
PASS = "[bold green]达标[/]"
FAIL = "[bold red]未达标[/]"
UNKNOWN = "[yellow]无法判定[/]"
# (header, quantities added up, divisor, decimals) of the split table
SPLIT_COLUMNS = (
    ("用房", ("teaching_area",), 1, 0),
    ("场馆", ("gym_area", "sports_ground_area"), 1, 0),
    ("仪器", ("equipment_value",), 10_000, 1),
    ("图书", ("books",), 1, 0),
    ("计算机", ("computers",), 1, 1),
)


def titled_table(title: str, **options: object) -> Table:
    """A table whose title sits on the left in bold, as every report table here."""
    return Table(title=title, title_justify="left", title_style="bold", **options)  # type: ignore[arg-type]


def make_console() -> Console:
    """A console for reports: the terminal's width, or a comfortable fixed width when piped."""
    console = Console(soft_wrap=True)
    if not console.is_terminal:
        console = Console(width=PIPED_WIDTH, soft_wrap=True)
    return console


def verdict(passed: bool | None) -> str:
    return UNKNOWN if passed is None else PASS if passed else FAIL


def number(value: float | None, decimals: int) -> str:
    return "—" if value is None else f"{value:,.{decimals}f}"


def render_evaluation(
    console: Console,
    evaluation: Evaluation,
    detail: bool = True,
    findings_lang: str | None = None,
) -> None:
    """The evaluation report: the headline and the bill first, then the data facts and the
    tables. ``detail=False`` keeps it to a screen or two (long lists say where the rest is);
    ``findings_lang`` prints the data findings right after the headline."""
    standard = evaluation.standard
    console.print(f"[bold]junheng · {standard.name}[/]（{standard.id}，版本 {standard.version}）")
    if standard.example:
        console.print(
            "[bold yellow]注意：这是示例标准文件，其中数值未经正式文件核实，结果仅供演示。[/]"
        )
    headline = headline_of(evaluation)
    render_headline(console, headline)
    console.print()
    if findings_lang is not None:
        render_findings(console, evaluation.findings, findings_lang)
    _render_data_facts(console, evaluation)
    for level in evaluation.levels:
        console.print()
        _render_level(console, level, standard, evaluation.indicator_subset is not None)
    console.print()
    _render_overall(console, evaluation)
    if detail:
        _render_split_units(console, evaluation)
    if standard.judges_schools:
        if detail:
            _render_school_verdicts(console, evaluation)
            _render_gap_totals(console, evaluation)
            _render_fix_first(console, evaluation)
        else:
            _render_school_counts(console, evaluation)
            if evaluation.indicator_subset is None:
                render_bill(console, headline)
                render_worst(console, evaluation, worst_schools(evaluation, WORST_LISTED))
            render_fix_first_lines(console, evaluation)
    if evaluation.government is not None and standard.government is not None:
        listed = LIST_AT_MOST if detail else SHORT_LIST
        _render_government(console, evaluation.government, standard, listed)
    if evaluation.county_items:
        if detail:
            _render_county_items(console, evaluation)
        else:
            _render_county_item_counts(console, evaluation)
    if detail:
        render_allowances(console, evaluation)
    _render_excluded(console, evaluation, detail)
    _render_skipped(console, evaluation)
    if detail:
        _render_contributors(console, evaluation)
        _render_inequality(console, evaluation)
    else:
        render_more(console, evaluation)


def _render_data_facts(console: Console, evaluation: Evaluation) -> None:
    account = evaluation.account
    standard = evaluation.standard
    render_sources(console, evaluation.sources)
    for file, sheet in evaluation.unused_sheets:
        console.print(
            f"  [yellow]未使用的工作表：{esc(file)}［{esc(sheet)}］"
            "（表头中没有“学校名称”和“学校类型”）[/]"
        )
    console.print(
        f"读取 {account.rows_read} 行：参评 {account.evaluated} 所，"
        f"按标准排除 {account.excluded} 所，因数据错误跳过 {account.skipped} 行，"
        f"空行 {account.blank}，合计行 {account.total}"
        + (f"，表注和签名行 {account.notes}" if account.notes else "")
    )
    for note in evaluation.scope_notes:
        console.print(f"[yellow]注意[/]：{esc(note)}")
    if evaluation.skipped:
        console.print(
            f"[bold yellow]注意：这是部分结果——{len(evaluation.skipped)} 行因数据错误未参评"
            "（见下方“跳过的行”），结论仅供参考。[/]"
        )
    if evaluation.indicator_subset is not None:
        console.print(
            f"[bold yellow]注意：这是部分结果——只评估了 {len(standard.indicators)} 项指标"
            f"（{'、'.join(i.label for i in standard.indicators)}；--indicators），"
            "报告各项差异系数和逐校情况，不给总体结论。[/]"
        )


def render_sources(console: Console, sources: list[SheetInfo]) -> None:
    for info in sources:
        first, last = info.header_rows
        rows = f"第 {first} 行" if first == last else f"第 {first}–{last} 行（多行表头已合并）"
        console.print(
            f"数据：{esc(info.file)}［{esc(info.sheet)}］，表头在{rows}，数据 {info.rows_read} 行"
        )
        if info.ignored_headers:
            ignored = "、".join(
                f"{letter}列“{esc(header)}”" for letter, header in info.ignored_headers
            )
            console.print(f"  [dim]未使用的列：{ignored}[/]")


def _render_level(
    console: Console, level: LevelResult, standard: Standard, partial: bool = False
) -> None:
    if level.schools == 0:
        console.print(f"[bold]{level.name}[/]：没有参评学校，不计算差异系数")
        return
    each = standard.judgement.mode == "each"
    table = titled_table(
        title=f"{level.name}：{level.schools} 个参评单位，在校生 {level.students:,} 人",
    )
    table.add_column("指标")
    table.add_column("单位")
    table.add_column("全县平均值", justify="right")
    table.add_column("标准差", justify="right")
    table.add_column("差异系数", justify="right")
    if each:
        table.add_column("限值", justify="right")
        table.add_column("判定", justify="center")
    for ind in level.indicators:
        row = [
            ind.name,
            ind.unit,
            number(ind.mean, ind.decimals),
            number(ind.sd, ind.decimals),
            number(ind.cv, CV_DECIMALS),
        ]
        if each:
            row += [number(ind.limit, 2), verdict(ind.passed)]
        table.add_row(*row)
    console.print(table)
    composite = number(level.composite_cv, CV_DECIMALS)
    if partial:
        console.print(f"  {level.name}：只评估了部分指标，不计算综合差异系数，不给学段结论")
    elif each:
        over = [i for i in level.indicators if i.passed is False]
        console.print(
            f"  {level.name}综合差异系数 {composite}（仅报告）；各项差异系数逐项判定，"
            f"{len(over)} 项超过限值 {level.composite_limit:.2f} → {verdict(level.cv_passed)}"
        )
    else:
        console.print(
            f"  {level.name}综合差异系数 [bold]{composite}[/]"
            f"（限值 ≤ {level.composite_limit:.2f}） → {verdict(level.cv_passed)}"
        )


def _render_overall(console: Console, evaluation: Evaluation) -> None:
    if evaluation.indicator_subset is not None:
        console.print(
            f"[bold]结论[/]：{verdict(None)}——只评估了部分指标（--indicators），不给总体结论"
        )
        return
    judges_schools = evaluation.standard.judges_schools
    parts = []
    for lv in evaluation.levels:
        if not lv.schools:
            parts.append(f"{lv.name} 无参评学校")
        elif judges_schools:
            parts.append(
                f"{lv.name} 差异系数{verdict(lv.cv_passed)}、{lv.schools_failed} 所学校未达标"
                f" → {verdict(lv.passed)}"
            )
        else:
            parts.append(f"{lv.name} {verdict(lv.passed)}")
    scope = "全县" if judges_schools else "全县校际差异系数"
    console.print(f"[bold]结论[/]：{'；'.join(parts)}。{scope} {verdict(evaluation.passed)}")


def gap_phrase(amount: float, unit: str, what: str) -> str:
    """还差 3 名县级以上骨干教师 / 还差 1,200 ㎡教学及辅助用房 / 还差 12.50 万元教学仪器设备."""
    if unit == "元":
        return f"还差 {amount / 10_000:,.2f} 万元{what}（{amount:,.0f} 元）"
    if amount >= 1 or unit in ("名", "间", "台", "册"):
        return f"还差 {amount:,.0f} {unit}{what}"
    return f"还差 {amount:.2f} {unit}{what}"


def _render_school_counts(console: Console, evaluation: Evaluation) -> bool:
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


def _render_school_verdicts(console: Console, evaluation: Evaluation) -> None:
    if not _render_school_counts(console, evaluation):
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
    return f"{_figure(value)} {sign} {_figure(threshold)}"


def _figure(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _holds(value: float, comparison: str, threshold: float) -> bool:
    slack = 1e-9 * max(1.0, abs(threshold))
    return value >= threshold - slack if comparison == "≥" else value <= threshold + slack


def _negated(comparison: str) -> str:
    return "<" if comparison == "≥" else ">"


def _shortfall_text(check: Check, label: str, decimals: int) -> str:
    mark = "[yellow]≥85%[/]" if check.status == "near" else "[red]<85%[/]"
    value = number(check.value, decimals)
    return f"{label} {value} / {number(check.threshold, decimals)} {mark}"


def _render_gap_totals(console: Console, evaluation: Evaluation) -> None:
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


def _render_fix_first(console: Console, evaluation: Evaluation) -> None:
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


NOT_GIVEN = "[dim]未提供[/]"
LIST_AT_MOST = 15
EXCLUDED_NAMES = 12  # names of excluded schools per reason in the default report
SHORT_LIST = 3  # the default report's lists of schools under 政府保障程度


def _render_government(
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


def _render_county_item_counts(console: Console, evaluation: Evaluation) -> None:
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


def _render_county_items(console: Console, evaluation: Evaluation) -> None:
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


def _render_split_units(console: Console, evaluation: Evaluation) -> None:
    split = sorted(
        (u for u in evaluation.units if u.is_split),
        key=lambda u: (u.origin.file, u.origin.sheet, u.origin.row, list(Level).index(u.level)),
    )
    if not split:
        return
    table = titled_table(
        title="拆分学校：全校数量按加权在校生数分到各学段（教师数按学段填报）",
        caption="用房=教学及辅助用房㎡，场馆=体育馆+运动场地㎡，仪器=教学仪器设备值万元，图书册，计算机台",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("学校", overflow="fold", ratio=1, min_width=8)
    table.add_column("学段", no_wrap=True)
    for header, *_ in (("在校生",), ("分得",), *SPLIT_COLUMNS):
        table.add_column(header, justify="right", no_wrap=True)
    for i, unit in enumerate(split):
        first = i == 0 or split[i - 1].origin != unit.origin
        last = i == len(split) - 1 or split[i + 1].origin != unit.origin
        amounts = (
            _split_amount(unit.quantities, keys, divisor, decimals)
            for _, keys, divisor, decimals in SPLIT_COLUMNS
        )
        table.add_row(
            Text(unit.name if first else ""),
            unit.level.chinese,
            str(unit.students),
            f"{unit.share:.1%}",
            *amounts,
            end_section=last,
        )
    console.print()
    console.print(table)


def _split_amount(
    quantities: dict[str, float], keys: tuple[str, ...], divisor: float, decimals: int
) -> str:
    if any(k not in quantities for k in keys):
        return "—"
    return f"{sum(quantities[k] for k in keys) / divisor:.{decimals}f}"


def _render_excluded(console: Console, evaluation: Evaluation, detail: bool = True) -> None:
    if not evaluation.excluded:
        return
    if not detail:
        console.print()
        console.print(
            f"排除的学校 {len(evaluation.excluded)} 所（不参与差异系数计算；"
            + MORE_WHERE.format(sheet="排除学校")
            + "）："
        )
        _render_exclusion_reasons(console, evaluation, with_names=True)
        return
    table = titled_table(
        title="排除的学校（不参与差异系数计算）",
        box=box.SIMPLE_HEAD,
    )
    many = len(evaluation.sources) > 1
    for header in ("位置" if many else "行", "学校标识码", "学校名称", "类型"):
        table.add_column(header)
    for e in evaluation.excluded:
        table.add_row(_where(e.origin, many), Text(e.code), Text(e.name), Text(e.type))
    console.print()
    console.print(table)
    _render_exclusion_reasons(console, evaluation)


def _render_exclusion_reasons(
    console: Console, evaluation: Evaluation, with_names: bool = False
) -> None:
    reasons: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    for e in evaluation.excluded:
        kinds = reasons.setdefault(e.reason, [])
        if e.type not in kinds:
            kinds.append(e.type)
        names.setdefault(e.reason, []).append(e.name)
    for reason, kinds in reasons.items():
        console.print(Text(f"  {'、'.join(kinds)}：{reason}"))
        if with_names:
            listed = names[reason]
            more = f" 等 {len(listed)} 所" if len(listed) > EXCLUDED_NAMES else ""
            console.print(Text(f"    {'、'.join(listed[:EXCLUDED_NAMES])}{more}", style="dim"))


def _render_skipped(console: Console, evaluation: Evaluation) -> None:
    if not evaluation.skipped:
        return
    table = titled_table(title="跳过的行（数据有错误，未参评）")
    many = len(evaluation.sources) > 1
    for header in ("位置" if many else "行", "学校名称", "错误"):
        table.add_column(header, overflow="fold")
    for skipped in evaluation.skipped:
        errors = "\n".join(f"{f.column or ''}{f.row}：{f.message()}" for f in skipped.findings)
        table.add_row(_where(skipped.origin, many), Text(skipped.name), Text(errors))
    console.print()
    console.print(table)


def _where(origin: Origin, many: bool) -> str:
    return esc(f"{origin.file}［{origin.sheet}］{origin.row}") if many else str(origin.row)


def _render_contributors(console: Console, evaluation: Evaluation) -> None:
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


def _render_inequality(console: Console, evaluation: Evaluation) -> None:
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


def render_findings(console: Console, findings: list[Finding], lang: str = "zh") -> None:
    if not findings:
        return
    en = lang == "en"
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    files = sorted({esc(f"{f.file}［{f.sheet}］") for f in findings})
    title = (
        f"Data findings in {'; '.join(files)}: {errors} errors, {warnings} warnings"
        if en
        else f"数据问题（{'；'.join(files)}）：错误 {errors} 个，警告 {warnings} 个"
    )
    table = titled_table(title=title, show_lines=True)
    headers = (
        ("", "Cell", "Message", "Hint", "Code") if en else ("", "单元格", "问题", "建议", "代码")
    )
    for header in headers:
        table.add_column(header, overflow="fold")
    for f in findings:
        is_error = f.severity is Severity.ERROR
        label = ("error" if is_error else "warning") if en else ("错误" if is_error else "警告")
        cell = f"{f.column or ''}{f.row or ''}" if len(files) == 1 else esc(f.location())
        table.add_row(
            Text(label, style="bold red" if is_error else "yellow"),
            cell,
            Text(f.message(lang)),
            Text(f.hint(lang)),
            Text(f.code, style="dim"),
        )
    console.print(table)


def _short_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _render_search_order(console: Console) -> None:
    cwd_dir = Path.cwd() / LOCAL_DIR_NAME
    builtin = builtin_standards_dir()
    steps = [
        "--standard 给出的文件路径",
        f"{ORIGIN_LABELS['env']}：{os.pathsep.join(env_dirs()) or '未设置'}",
        f"{ORIGIN_LABELS['cwd']}：{cwd_dir}" + ("" if cwd_dir.is_dir() else "（不存在）"),
        f"{ORIGIN_LABELS['builtin']}：{builtin if builtin is not None else '（缺失）'}",
    ]
    console.print("[bold]标准文件的查找顺序[/]（同一 id 以先找到的为准）：", highlight=False)
    for n, step in enumerate(steps, start=1):
        console.print(f"  {n}. {step}", highlight=False, soft_wrap=True)


def render_standards(console: Console, listed: list[ListedStandard]) -> None:
    _render_search_order(console)
    table = titled_table(title="可用的评估标准")
    for header in ("id", "别名", "名称", "判定方式", "指标数", "来源", "文件"):
        table.add_column(header, overflow="fold")
    for entry in listed:
        file, item = entry.file, entry.loaded
        origin = Text(file.origin_label)
        if not entry.used:
            origin.append("（未采用）", style="yellow")
        where = (file.origin_label, _short_path(file.path))
        if isinstance(item, StandardError):
            table.add_row(file.id, "", Text(f"无法加载：{item}", style="red"), "", "", *where)
            continue
        mode = "综合差异系数" if item.judgement.mode == "composite" else "逐项差异系数"
        if item.judges_schools:
            mode += " + 逐校达标"
        name = Text(item.name)
        if item.example:
            name.append("［示例，须对照正式文件确认］", style="yellow")
        table.add_row(
            item.id,
            "、".join(item.aliases),
            name,
            mode,
            str(len(item.indicators)),
            origin,
            _short_path(file.path),
        )
    console.print(table)
    for note in dict.fromkeys(e.note for e in listed if e.note):
        console.print(f"[yellow]注意[/]：{note}", highlight=False, soft_wrap=True)
