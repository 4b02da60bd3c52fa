"""One self-contained, printable HTML page: inline CSS and SVG charts, nothing from the
network. For the leaders' meeting."""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

import pandas as pd

from junheng_cli import __version__
from junheng_cli.compute.headline import bill_amount, headline_of
from junheng_cli.io.write import write_text_atomic
from junheng_cli.model.results import Evaluation, LevelResult
from junheng_cli.report.charts import SchoolChart, school_charts
from junheng_cli.report.frames import (
    BETWEEN_PLACE,
    allowance_table,
    excluded_table,
    findings_table,
    indicator_split,
    summary_rows,
    theil_notes,
    where_sentence,
)
from junheng_cli.report.terminal.evaluation import gap_phrase

CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 24px auto; max-width: 1100px; color: #222; font-size: 14px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 28px;
     border-bottom: 2px solid #2f5597; padding-bottom: 4px; } h3 { font-size: 15px; }
table { border-collapse: collapse; margin: 8px 0 16px; width: 100%; }
th, td { border: 1px solid #bbb; padding: 4px 6px; vertical-align: top; }
th { background: #ddebf7; text-align: left; } td.num { text-align: right; white-space: nowrap; }
.pass { color: #006100; background: #c6efce; padding: 1px 6px; border-radius: 3px; }
.fail { color: #9c0006; background: #ffc7ce; padding: 1px 6px; border-radius: 3px; }
.near { color: #9c5700; background: #ffeb9c; padding: 1px 6px; border-radius: 3px; }
.none { color: #666; background: #eee; padding: 1px 6px; border-radius: 3px; }
.note { color: #9c5700; font-weight: bold; } .muted { color: #666; font-size: 12px; }
.verdict { font-size: 17px; font-weight: bold; padding: 8px 10px; border-radius: 4px; }
.bill { font-size: 15px; line-height: 1.6; margin: 6px 0 10px; }
figure { margin: 8px 0 20px; } figcaption { font-weight: bold; margin-bottom: 4px; }
svg.chart { display: block; width: 100%; height: auto; max-width: 900px; }
thead { display: table-header-group; } tr, figure, .keep { break-inside: avoid; }
h1, h2, h3, figcaption, .lead { break-after: avoid; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { margin-top: 18px; } .muted { font-size: 10px; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  span, svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def write_html(evaluation: Evaluation, target: Path) -> None:
    write_text_atomic(target, render_html(evaluation))


def render_html(evaluation: Evaluation) -> str:
    standard = evaluation.standard
    title = f"{standard.name} 评估报告"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}{page_css(title)}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">标准 {escape(standard.id)}（版本 {escape(standard.version)}）· '
        f"junheng {__version__} · {date.today().isoformat()}</p>",
        _headline(evaluation),  # the answer first: the verdict, the bill, the worst schools
    ]
    if standard.example:
        parts.append('<p class="note">注意：示例标准文件，数值未经正式文件核实，结果仅供演示。</p>')
    if evaluation.skipped:
        parts.append('<p class="note">注意：部分结果——有数据错误的行未参评，见“排除与跳过”。</p>')
    if evaluation.indicator_subset is not None:
        labels = "、".join(i.label for i in standard.indicators)
        parts.append(
            f'<p class="note">注意：部分结果——只评估了 {escape(labels)}（--indicators），'
            "不给总体结论。</p>"
        )
    parts += [f'<p class="note">注意：{escape(note)}</p>' for note in evaluation.scope_notes]
    parts.append(_summary(evaluation))
    charts = school_charts(evaluation)
    for level in evaluation.levels:
        if level.schools:
            parts.append(_level(level, evaluation))
            parts += [_school_svg(c) for c in charts if c.level is level]
    parts.append(_inequality(evaluation))
    if standard.judges_schools:
        parts.append(_failing_schools(evaluation))  # the county's bill is at the top
    parts.append(_government(evaluation))
    if evaluation.allowance_uses:
        parts.append(
            _table_section("按规程（2019 年督导评估规程）放宽的项目", allowance_table(evaluation))
        )
    parts.append(_table_section("排除与跳过的学校", excluded_table(evaluation)))
    parts.append(_table_section("数据问题", findings_table(evaluation.findings)))
    parts.append("</body></html>\n")
    return "\n".join(p for p in parts if p)


def page_css(footer: str) -> str:
    """A4 pages; the footer carries the report's name and 第 n 页，共 m 页 (CSS page-margin
    boxes: Chromium 131 and later, which is what headless --print-to-pdf uses)."""
    return (
        "@page { size: A4; margin: 14mm 12mm 16mm 12mm;"
        f" @bottom-left {{ content: {css_string(footer)}; font-size: 9px; color: #555; }}"
        ' @bottom-right { content: "第 " counter(page) " 页，共 " counter(pages) " 页";'
        " font-size: 9px; color: #555; }"
        # page boxes of our own at the top too: Chromium then prints no date, title or address
        ' @top-left { content: ""; } @top-center { content: ""; } @top-right { content: ""; } }'
    )


def css_string(text: str) -> str:
    """A CSS string literal: quotes, backslashes, line breaks and ``<`` escaped (the text sits
    inside <style>, which a ``</style>`` in a standard's name must not close)."""
    out = []
    for ch in text:
        if ch in '"\\<>' or ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _badge(passed: bool | None) -> str:
    if passed is None:
        return '<span class="none">无法判定</span>'
    return '<span class="pass">达标</span>' if passed else '<span class="fail">未达标</span>'


def _table(head: list[str], rows: list[str]) -> str:
    """A table whose header row repeats on every printed page it runs onto."""
    cells = "".join(f"<th>{h}</th>" for h in head)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _headline(evaluation: Evaluation) -> str:
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
            f"{_table(['需补充', '数量', '涉及学校'], rows)}</section>"
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
            f"{_table(['学校', '学段', '达标项', '未达标的指标'], rows)}"
            f"<p class='muted'>排序：{escape(headline.worst_rule)}。"
            f"{more if failing > len(headline.worst) else ''}</p></section>"
        )
    return "\n".join(parts)


def _summary(evaluation: Evaluation) -> str:
    rows = []
    for label, value in summary_rows(evaluation):
        if isinstance(value, str) and value in ("达标", "未达标", "无法判定"):
            shown = _badge({"达标": True, "未达标": False}.get(value))
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


def _level(level: LevelResult, evaluation: Evaluation) -> str:
    each = evaluation.standard.judgement.mode == "each"
    head = ["指标", "单位", "全县平均值", "标准差", "差异系数"]
    head += ["限值", "判定"] if each else []
    rows = []
    for ind in level.indicators:
        cells = [
            escape(ind.name),
            escape(ind.unit),
            _num(ind.mean, ind.decimals),
            _num(ind.sd, ind.decimals),
            _num(ind.cv, 4),
        ]
        row = "".join(
            f"<td class='num'>{c}</td>" if i >= 2 else f"<td>{c}</td>" for i, c in enumerate(cells)
        )
        if each:
            row += f"<td class='num'>{_num(ind.limit, 2)}</td><td>{_badge(ind.passed)}</td>"
        rows.append(f"<tr>{row}</tr>")
    rule = "各项逐项判定，综合仅报告" if each else f"限值 ≤ {level.composite_limit:.2f}"
    composite = (
        f"<p>{escape(level.name)}综合差异系数 <b>{_num(level.composite_cv, 4)}</b>（{rule}）"
        f" → 差异系数 {_badge(level.cv_passed)}"
    )
    if level.schools_failed is not None:
        composite += f"；逐校：{level.schools_passed} 所达标、{level.schools_failed} 所未达标"
    composite += f" → {escape(level.name)} {_badge(level.passed)}</p>"
    # one block: the heading, its table, the verdict and the chart never part across pages
    return (
        f"<section class='keep'><h2>{escape(level.name)}：{level.schools} 个参评单位，"
        f"在校生 {level.students:,} 人</h2>"
        f"{_table(head, rows)}{composite}{_cv_svg(level, each)}</section>"
    )


def _num(value: float | None, decimals: int) -> str:
    return "—" if value is None else f"{value:,.{decimals}f}"


def _svg(width: int, height: int, label: str, items: list[str]) -> str:
    """Scales with the page: a viewBox and width 100%, never a fixed pixel width."""
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-label="{escape(label)}">{"".join(items)}</svg>'
    )


def _cv_svg(level: LevelResult, each: bool) -> str:
    """Horizontal bars: each indicator's CV, with its limit as a dashed red line."""
    width, label_w, bar_h, gap = 900, 200, 18, 8
    limit = level.composite_limit or 0.0
    top = max([limit] + [i.cv or 0.0 for i in level.indicators]) * 1.1 or 1.0
    scale = (width - label_w - 70) / top
    height = len(level.indicators) * (bar_h + gap) + 30
    items = []
    for n, ind in enumerate(level.indicators):
        y = 10 + n * (bar_h + gap)
        cv = ind.cv or 0.0
        over = ind.passed is False if each else False
        colour = "#c00000" if over else "#2f5597"
        items.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="13">'
            f"{escape(ind.label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{cv * scale:.1f}" height="{bar_h}" '
            f'fill="{colour}"/>'
            f'<text x="{label_w + cv * scale + 4:.1f}" y="{y + 13}" font-size="13">{cv:.4f}</text>'
        )
    x = label_w + limit * scale
    label = "限值" if each else "综合限值"
    items.append(
        f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 18}" stroke="#c00000" '
        f'stroke-dasharray="5,4" stroke-width="2"/>'
        f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle" font-size="13" fill="#c00000">'
        f"{label} {limit:.2f}</text>"
    )
    return _svg(width, height, f"{level.name}差异系数", items)


BAR_COLOURS = {"met": "#2f5597", "near": "#bf8f00", "below": "#c00000", None: "#2f5597"}
LEGEND = (("met", "达标"), ("near", "未达标但不低于85%"), ("below", "低于85%"))


def _school_svg(chart: SchoolChart) -> str:
    """One indicator's schools as horizontal bars, lowest first, the standard (or the county
    mean) as a dashed red line and 85% of it (基本值) as a dotted amber one."""
    width, label_w, bar_h, gap, top_pad = 900, 220, 12, 3, 24
    decimals = chart.indicator.decimals
    peak = max([b.value for b in chart.bars] + [chart.reference or 0.0]) * 1.12 or 1.0
    scale = (width - label_w - 80) / peak
    bottom = top_pad + len(chart.bars) * (bar_h + gap)
    height = bottom + 44
    items = []
    for n, bar in enumerate(chart.bars):
        y = top_pad + n * (bar_h + gap)
        name = bar.name if len(bar.name) <= 16 else bar.name[:15] + "…"
        items.append(
            f'<text x="{label_w - 6}" y="{y + 10.5}" text-anchor="end" font-size="12">'
            f"{escape(name)}</text>"
            f'<rect class="bar" x="{label_w}" y="{y}" width="{bar.value * scale:.1f}" '
            f'height="{bar_h}" fill="{BAR_COLOURS[bar.status]}"/>'
            f'<text x="{label_w + bar.value * scale + 4:.1f}" y="{y + 10.5}" font-size="12">'
            f"{_num(bar.value, decimals)}</text>"
        )
    lines = [(chart.reference, chart.reference_label, "#c00000", "6,4")]
    if chart.floor is not None:
        lines.append((chart.floor, "基本值（85%）", "#bf8f00", "2,3"))
    for n, (value, label, colour, dash) in enumerate(lines):
        if value is None:
            continue
        x = label_w + value * scale
        items.append(
            f'<line x1="{x:.1f}" y1="{top_pad - 6}" x2="{x:.1f}" y2="{bottom}" stroke="{colour}" '
            f'stroke-dasharray="{dash}" stroke-width="2"/>'
            f'<text x="{x:.1f}" y="{top_pad - 10 if n == 0 else bottom + 14}" '
            f'text-anchor="middle" font-size="12" fill="{colour}">'
            f"{label} {_num(value, decimals)}</text>"
        )
    if any(b.status is not None for b in chart.bars):
        x = label_w
        for status, text in LEGEND:
            items.append(
                f'<rect x="{x}" y="{height - 16}" width="12" height="12" '
                f'fill="{BAR_COLOURS[status]}"/>'
                f'<text x="{x + 16}" y="{height - 6}" font-size="12">{text}</text>'
            )
            x += 40 + 13 * len(text)
    note = chart.note("xlsx 报告的“学校达标”工作表（evaluate -o 报告.xlsx）")
    note_html = f"<p class='muted'>{escape(note)}</p>" if note else ""
    return (
        f"<figure><figcaption>{escape(chart.title)}，由低到高</figcaption>"
        f"{_svg(width, height, chart.title, items)}{note_html}</figure>"
    )


def _inequality(evaluation: Evaluation) -> str:
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
                f"<td class='num'>{_num(theil, 4)}</td>{shares}"
                f"<td>{escape(where_sentence(level, ind.id))}</td></tr>"
            )
    notes = "".join(f"<p class='note'>{escape(n)}</p>" for n in theil_notes(evaluation))
    return (
        "<section><h2>差距来源（泰尔指数按城乡类型、所在乡镇分解）</h2>"
        "<p class='muted lead'>泰尔指数 = 组间 + 组内；组间占比 ≥ 50% 即差距主要在组间。"
        "0 为各校相同，差距不大时约为差异系数² / 2。</p>"
        f"{notes}{_table(head, rows)}</section>"
    )


def _failing_schools(evaluation: Evaluation) -> str:
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
                f'<span class="{css}">{escape(label)}</span> {_num(check.value, decimals)} / '
                f"{_num(check.threshold, decimals)} → {escape(need)}"
            )
        rows.append(
            f"<tr><td>{escape(unit.name)}</td><td>{unit.level.chinese}</td>"
            f"<td class='num'>{unit.met}/{len(unit.checks)}</td><td>{'<br>'.join(lines)}</td></tr>"
        )
    head = ["学校", "学段", "达标项", "未达标的指标：本校值 / 标准 → 还差"]
    return (
        f"<section><h2>未达标的学校及差距（{len(failing)} 个学段单位）</h2>"
        f"{_table(head, rows)}</section>"
    )


def _government(evaluation: Evaluation) -> str:
    parts = []
    result = evaluation.government
    if result is not None:
        lines = []
        if result.school_size is None:
            lines.append("学校规模：未提供")
        else:
            over = [c for c in result.school_size if not c.passed]
            names = "、".join(escape(f"{c.name}（{c.students:,} 人）") for c in over) or "无"
            lines.append(f"学校规模：{len(over)} 所超规模 {_badge(not over)}；{names}")
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
            badge = (
                '<span class="none">未提供</span>' if item.passed is None else _badge(item.passed)
            )
            rows.append(
                f"<tr><td>{escape(item.name)}</td><td class='num'>{escape(rule)}</td>"
                f"<td class='num'>{escape(value)}</td><td>{badge}</td></tr>"
            )
        parts.append(
            "<section><h2>县级指标</h2>"
            + _table(["指标", "标准", "本县", "判定"], rows)
            + "</section>"
        )
    return "\n".join(parts)


def _table_section(title: str, frame: pd.DataFrame) -> str:
    if frame.empty:
        return f"<section class='keep'><h2>{escape(title)}</h2><p>无。</p></section>"
    head = [escape(str(c)) for c in frame.columns]
    body = []
    for record in frame.itertuples(index=False):
        cells = []
        for value in record:
            if value is None or (isinstance(value, float) and pd.isna(value)):
                cells.append("<td></td>")
            elif isinstance(value, int | float):
                cells.append(
                    f"<td class='num'>{value:,.2f}</td>"
                    if isinstance(value, float) and not float(value).is_integer()
                    else f"<td class='num'>{value:,.0f}</td>"
                )
            else:
                cells.append(f"<td>{escape(str(value))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<section><h2>{escape(title)}</h2>{_table(head, body)}</section>"
