"""The HTML report's charts as inline SVG: each level's coefficients against the limit, and
an indicator's schools against the standard."""

from __future__ import annotations

from html import escape

from junheng_cli.model.results import LevelResult
from junheng_cli.report.charts import SchoolChart
from junheng_cli.report.html.elements import num, svg
from junheng_cli.report.wording import CHECK_STATUS


def cv_svg(level: LevelResult, each: bool) -> str:
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
    return svg(width, height, f"{level.name}差异系数", items)


BAR_COLOURS = {"met": "#2f5597", "near": "#bf8f00", "below": "#c00000", None: "#2f5597"}
LEGEND = tuple((status, CHECK_STATUS[status]) for status in ("met", "near", "below"))


def school_svg(chart: SchoolChart) -> str:
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
            f"{num(bar.value, decimals)}</text>"
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
            f"{label} {num(value, decimals)}</text>"
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
        f"{svg(width, height, chart.title, items)}{note_html}</figure>"
    )
