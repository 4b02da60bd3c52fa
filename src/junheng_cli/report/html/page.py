"""The HTML page: its style, print layout (A4, a footer with the report's name and page
numbers) and the order of its sections."""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from junheng_cli import __version__
from junheng_cli.io.write import write_text_atomic
from junheng_cli.model.results import Evaluation
from junheng_cli.report.charts import school_charts
from junheng_cli.report.frames.evaluation import allowance_frame, excluded_frame, findings_frame
from junheng_cli.report.html.elements import table_section
from junheng_cli.report.html.sections import (
    failing_schools_section,
    government_section,
    headline_section,
    inequality_section,
    level_section,
    summary_section,
)
from junheng_cli.report.html.svg import school_svg

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
        headline_section(evaluation),  # the answer first: the verdict, the bill, the worst schools
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
    parts.append(summary_section(evaluation))
    charts = school_charts(evaluation)
    for level in evaluation.levels:
        if level.schools:
            parts.append(level_section(level, evaluation))
            parts += [school_svg(c) for c in charts if c.level is level]
    parts.append(inequality_section(evaluation))
    if standard.judges_schools:
        parts.append(failing_schools_section(evaluation))  # the county's bill is at the top
    parts.append(government_section(evaluation))
    if evaluation.allowance_uses:
        parts.append(
            table_section("按规程（2019 年督导评估规程）放宽的项目", allowance_frame(evaluation))
        )
    parts.append(table_section("排除与跳过的学校", excluded_frame(evaluation)))
    parts.append(table_section("数据问题", findings_frame(evaluation.findings)))
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
