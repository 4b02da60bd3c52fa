"""The HTML report's sections: the headline and the bill, the summary, each level, where the
gap lies, the failing schools, and the government and county items."""

from __future__ import annotations

from html import escape

from junheng_cli.compute.headline import bill_amount, headline_of
from junheng_cli.model.results import Evaluation, LevelResult
from junheng_cli.report.frames.evaluation import summary_rows
from junheng_cli.report.frames.inequality import (
    BETWEEN_PLACE,
    indicator_split,
    theil_notes,
    where_sentence,
)
from junheng_cli.report.html.elements import badge, num, table
from junheng_cli.report.html.svg import cv_svg
from junheng_cli.report.wording import FAILED, PASSED, UNDECIDED, gap_phrase


def headline_section(evaluation: Evaluation) -> str:
    headline = headline_of(evaluation)
    css = "pass" if headline.passed else "fail" if headline.passed is False else "none"
    parts = [
        f"<section class='headline keep'><p class='verdict {css}'>{escape(headline.verdict)}</p>"
    ]
    if headline.bill_text:
        parts.append(f"<p class='bill'>{escape(headline.bill_text)}</p>")
    parts.append("</section>")
    if headline.bill:
        rows = [
            f"<tr><td>{escape(b.what)}</td><td class='num'>{escape(bill_amount(b))}</td>"
            f"<td class='num'>{b.schools} 所</td></tr>"
            for b in headline.bill
        ]
        parts.append(
            "<section class='keep'><h3>补短板清单：使每所学校各项指标达到标准，全县需补充"
            "（各校差距之和）</h3>"
            f"{table(['需补充', '数量', '涉及学校'], rows)}</section>"
        )
    if headline.worst:
        failing = sum(1 for u in evaluation.units if u.passed is False)
        rows = [
            f"<tr><td>{escape(w.name)}</td><td>{escape(w.level)}</td>"
            f"<td class='num'>{w.met}/{w.indicators}</td><td>{escape('、'.join(w.below))}</td></tr>"
            for w in headline.worst
        ]
        more = f"另有 {failing - len(headline.worst)} 个未达标，见下文“未达标的学校及差距”。"
        parts.append(
            f"<section class='keep'><h3>差距最大的 {len(headline.worst)} 个学段单位"
            f"（共 {failing} 个未达标）</h3>"
            f"{table(['学校', '学段', '达标项', '未达标的指标'], rows)}"
            f"<p class='muted'>排序：{escape(headline.worst_rule)}。"
            f"{more if failing > len(headline.worst) else ''}</p></section>"
        )
    return "\n".join(parts)


def summary_section(evaluation: Evaluation) -> str:
    rows = []
    for label, value in summary_rows(evaluation):
        if isinstance(value, str) and value in (PASSED, FAILED, UNDECIDED):
            shown = badge({PASSED: True, FAILED: False}.get(value))
        elif isinstance(value, float):
            shown = f"{value:.4f}"
        else:
            shown = escape(str(value))
        rows.append(f"<tr><th>{escape(label)}</th><td>{shown}</td></tr>")
    sources = "；".join(
        escape(f"{s.file}［{s.sheet}］表头第 {s.header_rows[0]}–{s.header_rows[1]} 行")
        for s in evaluation.sources
    )
    return (
        f"<section><h2>结论与数据</h2><table><tbody>{''.join(rows)}</tbody></table>"
        f"<p class='muted'>数据：{sources}</p></section>"
    )


def level_section(level: LevelResult, evaluation: Evaluation) -> str:
    each = evaluation.standard.judgement.mode == "each"
    head = ["指标", "单位", "全县平均值", "标准差", "差异系数"]
    head += ["限值", "判定"] if each else []
    rows = []
    for ind in level.indicators:
        cells = [
            escape(ind.name),
            escape(ind.unit),
            num(ind.mean, ind.decimals),
            num(ind.sd, ind.decimals),
            num(ind.cv, 4),
        ]
        row = "".join(
            f"<td class='num'>{c}</td>" if i >= 2 else f"<td>{c}</td>" for i, c in enumerate(cells)
        )
        if each:
            row += f"<td class='num'>{num(ind.limit, 2)}</td><td>{badge(ind.passed)}</td>"
        rows.append(f"<tr>{row}</tr>")
    rule = "各项逐项判定，综合仅报告" if each else f"限值 ≤ {level.composite_limit:.2f}"
    composite = (
        f"<p>{escape(level.name)}综合差异系数 <b>{num(level.composite_cv, 4)}</b>（{rule}）"
        f" → 差异系数 {badge(level.cv_passed)}"
    )
    if level.schools_failed is not None:
        composite += f"；逐校：{level.schools_passed} 所达标、{level.schools_failed} 所未达标"
    composite += f" → {escape(level.name)} {badge(level.passed)}</p>"
    # one block: the heading, its table, the verdict and the chart never part across pages
    return (
        f"<section class='keep'><h2>{escape(level.name)}：{level.schools} 个参评单位，"
        f"在校生 {level.students:,} 人</h2>"
        f"{table(head, rows)}{composite}{cv_svg(level, each)}</section>"
    )


def inequality_section(evaluation: Evaluation) -> str:
    """Per level and indicator: T, the between shares and where the gap mainly lies."""
    if not evaluation.inequality:
        return ""
    groupings = evaluation.inequality[0].groupings
    head = ["学段", "指标", "泰尔指数"]
    head += [f"{BETWEEN_PLACE[g.field]}占比" for g in groupings]
    head.append("判断")
    rows = []
    for level in evaluation.inequality:
        for ind in evaluation.standard.indicators:
            splits = [indicator_split(g, ind.id) for g in level.groupings]
            theil = next((s.theil for s in splits if s is not None), None)
            shares = "".join(
                "<td class='num'>"
                + ("—" if s is None or s.between_share is None else f"{s.between_share:.0%}")
                + "</td>"
                for s in splits
            )
            rows.append(
                f"<tr><td>{escape(level.name)}</td><td>{escape(ind.label)}</td>"
                f"<td class='num'>{num(theil, 4)}</td>{shares}"
                f"<td>{escape(where_sentence(level, ind.id))}</td></tr>"
            )
    notes = "".join(f"<p class='note'>{escape(n)}</p>" for n in theil_notes(evaluation))
    return (
        "<section><h2>差距来源（泰尔指数按城乡类型、所在乡镇分解）</h2>"
        "<p class='muted lead'>泰尔指数 = 组间 + 组内；组间占比 ≥ 50% 即差距主要在组间。"
        "0 为各校相同，差距不大时约为差异系数² / 2。</p>"
        f"{notes}{table(head, rows)}</section>"
    )


def failing_schools_section(evaluation: Evaluation) -> str:
    failing = [u for u in evaluation.units if u.passed is False]
    if not failing:
        return "<section><h2>逐校达标</h2><p>所有学校均达到标准。</p></section>"
    gaps = {(g.origin, g.indicator, g.level): g for g in evaluation.gaps}
    labels = {i.id: (i.label, i.decimals) for i in evaluation.standard.indicators}
    rows = []
    for unit in sorted(failing, key=lambda u: (u.level.value != "primary", u.met or 0)):
        lines = []
        for check in unit.checks:
            if check.status == "met":
                continue
            label, decimals = labels[check.indicator]
            css = "near" if check.status == "near" else "fail"
            gap = gaps.get((unit.origin, check.indicator, unit.level)) or gaps.get(
                (unit.origin, check.indicator, None)
            )
            need = gap_phrase(gap.amount, gap.unit, gap.what) if gap else ""
            lines.append(
                f'<span class="{css}">{escape(label)}</span> {num(check.value, decimals)} / '
                f"{num(check.threshold, decimals)} → {escape(need)}"
            )
        rows.append(
            f"<tr><td>{escape(unit.name)}</td><td>{unit.level.chinese}</td>"
            f"<td class='num'>{unit.met}/{len(unit.checks)}</td><td>{'<br>'.join(lines)}</td></tr>"
        )
    head = ["学校", "学段", "达标项", "未达标的指标：本校值 / 标准 → 还差"]
    return (
        f"<section><h2>未达标的学校及差距（{len(failing)} 个学段单位）</h2>"
        f"{table(head, rows)}</section>"
    )


def government_section(evaluation: Evaluation) -> str:
    parts = []
    result = evaluation.government
    if result is not None:
        lines = []
        if result.school_size is None:
            lines.append("学校规模：未提供")
        else:
            over = [c for c in result.school_size if not c.passed]
            names = "、".join(escape(f"{c.name}（{c.students:,} 人）") for c in over) or "无"
            lines.append(f"学校规模：{len(over)} 所超规模 {badge(not over)}；{names}")
        if result.class_levels is None:
            lines.append("班额：未提供")
        else:
            for c in result.class_levels:
                over = "" if c.over_limit is None else f"，超过 {c.limit} 人的班 {c.over_limit} 个"
                lines.append(
                    f"{c.level.chinese}班额：{c.classes:,} 个班，大班额 {c.large} 个"
                    f"（{c.large_share:.1%}），超大班额 {c.huge} 个（{c.huge_share:.1%}）{over}"
                )
        if result.room_areas is not None:
            small = [r for r in result.room_areas if not r.passed]
            eased = sum(r.allowance is not None and not r.strict_passed for r in result.room_areas)
            lines.append(
                f"专用教室单间面积：{len(result.room_areas)} 间中 {len(small)} 间不足"
                + (f"，{eased} 间按规程标准判定" if eased else "")
            )
        if result.rooms is None:
            lines.append("音乐、美术专用教室：未提供")
        else:
            short = [r for r in result.rooms if r.passed is False]
            lines.append(f"音乐、美术专用教室（每 12 个班各 1 间）：{len(short)} 所不足")
        parts.append("<section class='keep'><h2>政府保障程度（可由学校数据计算的项目）</h2><ul>")
        parts += [f"<li>{line}</li>" for line in lines]
        parts.append("</ul></section>")
    if evaluation.county_items:
        rows = []
        for item in evaluation.county_items:
            value = "未提供" if item.value is None else f"{item.value:g}{item.unit}"
            rule = f"≥ {item.min:g}{item.unit}" if item.min is not None else ""
            judged = (
                '<span class="none">未提供</span>' if item.passed is None else badge(item.passed)
            )
            rows.append(
                f"<tr><td>{escape(item.name)}</td><td class='num'>{escape(rule)}</td>"
                f"<td class='num'>{escape(value)}</td><td>{judged}</td></tr>"
            )
        parts.append(
            "<section><h2>县级指标</h2>"
            + table(["指标", "标准", "本县", "判定"], rows)
            + "</section>"
        )
    return "\n".join(parts)
