"""The terminal report of an evaluation (rich), in Chinese: the headline, the data facts, each
level's coefficients and the verdict, then the sections. Rounds for display only."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape as esc
from rich.text import Text

from junheng_cli.compute.headline import headline_of, worst_schools
from junheng_cli.model.fields import Level
from junheng_cli.model.results import Evaluation, LevelResult
from junheng_cli.model.sources import Origin, SheetInfo
from junheng_cli.report.terminal.common import (
    CV_DECIMALS,
    number,
    titled_table,
    verdict,
)
from junheng_cli.report.terminal.findings import render_findings
from junheng_cli.report.terminal.government import (
    LIST_AT_MOST,
    SHORT_LIST,
    render_county_item_counts,
    render_county_items,
    render_government,
)
from junheng_cli.report.terminal.headline import (
    MORE_WHERE,
    WORST_LISTED,
    render_bill,
    render_fix_first_lines,
    render_headline,
    render_more,
    render_worst,
)
from junheng_cli.report.terminal.inequality import render_contributors, render_inequality
from junheng_cli.report.terminal.schools import (
    render_allowances,
    render_fix_first,
    render_gap_totals,
    render_school_counts,
    render_school_verdicts,
)
from junheng_cli.standards.model import Standard

# (header, quantities added up, divisor, decimals) of the split table
SPLIT_COLUMNS = (
    ("用房", ("teaching_area",), 1, 0),
    ("场馆", ("gym_area", "sports_ground_area"), 1, 0),
    ("仪器", ("equipment_value",), 10_000, 1),
    ("图书", ("books",), 1, 0),
    ("计算机", ("computers",), 1, 1),
)
EXCLUDED_NAMES = 12  # names of excluded schools per reason in the default report


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
            render_school_verdicts(console, evaluation)
            render_gap_totals(console, evaluation)
            render_fix_first(console, evaluation)
        else:
            render_school_counts(console, evaluation)
            if evaluation.indicator_subset is None:
                render_bill(console, headline)
                render_worst(console, evaluation, worst_schools(evaluation, WORST_LISTED))
            render_fix_first_lines(console, evaluation)
    if evaluation.government is not None and standard.government is not None:
        listed = LIST_AT_MOST if detail else SHORT_LIST
        render_government(console, evaluation.government, standard, listed)
    if evaluation.county_items:
        if detail:
            render_county_items(console, evaluation)
        else:
            render_county_item_counts(console, evaluation)
    if detail:
        render_allowances(console, evaluation)
    _render_excluded(console, evaluation, detail)
    _render_skipped(console, evaluation)
    if detail:
        render_contributors(console, evaluation)
        render_inequality(console, evaluation)
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
