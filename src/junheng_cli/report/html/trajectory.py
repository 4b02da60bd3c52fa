"""A trajectory as one printable HTML page, in the style of the evaluation report: the
headline first, the method, a chart per coefficient over its limit (inline SVG: observed
points, the fitted line extended to its projection, the limit, the target date), then the
tables."""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

import pandas as pd

from junheng_cli import __version__
from junheng_cli.io.write import write_text_atomic
from junheng_cli.report.frames.trajectory import (
    chart_frame,
    chart_range,
    chart_title,
    charted,
    periods_frame,
)
from junheng_cli.report.html.elements import num, svg, table, table_section
from junheng_cli.report.html.page import CSS, page_css
from junheng_cli.report.wording.trajectory import (
    by_target_word,
    headline_lines,
    method_sentence,
    outlook_words,
    pace,
    pace_header,
    period_headers,
    short_words,
    undated_note,
)
from junheng_cli.workflows.trajectory import CvTrajectory, Outlook, Projection, Trajectory

WIDTH, HEIGHT = 900, 330
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 24, 56  # the plot's margins inside the viewBox
EXTRA_CSS = "td.nowrap { white-space: nowrap; }"
BLUE, RED, GREY = "#2f5597", "#c00000", "#777"


def write_trajectory_html(trajectory: Trajectory, target: Path) -> None:
    write_text_atomic(target, render_trajectory_html(trajectory))


def render_trajectory_html(trajectory: Trajectory) -> str:
    standard = trajectory.standard
    title = f"{standard.name} 达标趋势"
    goal = f" · 目标日期 {escape(trajectory.target)}" if trajectory.target else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}{EXTRA_CSS}{page_css(title)}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">标准 {escape(standard.id)}（版本 {escape(standard.version)}）· '
        f"{escape(' → '.join(trajectory.labels))}{goal} · junheng {__version__} · "
        f"{date.today().isoformat()}</p>",
        "<section class='headline keep'>",
        *(f"<p class='bill'><b>{escape(line)}</b></p>" for line in headline_lines(trajectory)),
        "</section>",
    ]
    if standard.example:
        parts.append('<p class="note">注意：示例标准文件，数值未经正式文件核实，结果仅供演示。</p>')
    note = undated_note(trajectory)
    if note:
        parts.append(f'<p class="note">{escape(note)}</p>')
    parts.append(f"<p class='muted'>{escape(method_sentence(trajectory))}</p>")
    chosen = charted(trajectory)
    if chosen:
        parts.append("<section><h2>差异系数的趋势与限值</h2>")
        parts += [_figure(trajectory, cv) for cv in chosen]
        parts.append("</section>")
    parts.append(_cv_section(trajectory))
    if standard.judges_schools:
        parts.append(_schools_section(trajectory))
    parts.append(table_section("各期", periods_frame(trajectory)))
    parts.append("</body></html>\n")
    return "\n".join(parts)


CSS_OUTLOOK = {
    Outlook.PASSING: "pass",
    Outlook.PROJECTED: "near",
    Outlook.WORSENING: "fail",
    Outlook.FLAT: "fail",
    Outlook.BEYOND: "fail",
    Outlook.TOO_FEW: "none",
}


def _outlook(projection: Projection, trajectory: Trajectory) -> str:
    words = escape(outlook_words(projection, trajectory.timeline))
    return f'<span class="{CSS_OUTLOOK[projection.outlook]}">{words}</span>'


def _cv_section(trajectory: Trajectory) -> str:
    line = trajectory.timeline
    periods = map(escape, period_headers(trajectory))
    head = ["学段", "指标", "限值", *periods, pace_header(line), "趋势"]
    if trajectory.target:
        head.append(f"{escape(trajectory.target)}前")
    rows = []
    for cv in trajectory.cvs:
        values = "".join(
            f"<td class='num'>{'<b>' if v is not None and v > cv.limit else ''}{num(v, 4)}</td>"
            for v in cv.values
        )
        target = f"<td>{by_target_word(cv.projection)}</td>" if trajectory.target else ""
        rows.append(
            f"<tr><td class='nowrap'>{escape(cv.level_name)}</td><td>{escape(cv.label)}</td>"
            f"<td class='num'>{cv.limit:.2f}</td>{values}"
            f"<td class='num'>{pace(cv.fit, 4)}</td><td>{_outlook(cv.projection, trajectory)}</td>"
            f"{target}</tr>"
        )
    note = "<p class='muted'>只列出有限值（参与判定）的差异系数；加粗的值超过限值。</p>"
    return f"<section><h2>各项差异系数</h2>{table(head, rows)}{note}</section>"


def _schools_section(trajectory: Trajectory) -> str:
    schools = trajectory.schools
    if not schools:
        return "<section><h2>未达标的学校</h2><p>最后一期所有学段单位均已逐校达标。</p></section>"
    line = trajectory.timeline
    rows = []
    for school in schools:
        met = " → ".join("—" if m is None else str(m) for m in school.met)
        tracks = "<br>".join(
            f"{escape(t.label)} "
            + " → ".join(num(v, t.decimals) for v in t.values)
            + f" / {num(t.threshold, t.decimals)}（{pace(t.fit, t.decimals)}，"
            f"{escape(short_words(t, line))}）"
            for t in school.tracks
        )
        by = (
            f"<br>{escape(trajectory.target)}前：{by_target_word(school.projection)}"
            if trajectory.target
            else ""
        )
        rows.append(
            f"<tr><td>{escape(school.name)}</td><td class='nowrap'>{school.level.chinese}</td>"
            f"<td class='nowrap'>{met} / {school.indicators}</td><td>{tracks}</td>"
            f"<td>{_outlook(school.projection, trajectory)}{by}</td></tr>"
        )
    head = [
        "学校",
        "学段",
        "达标项（各期）",
        f"未达标的指标：各期值 / 标准（{pace_header(line)}，何时达到标准）",
        "学校预计",
    ]
    return (
        f"<section><h2>未达标的学校（{len(schools)} 个学段单位，最早达标的在前）</h2>"
        f"{table(head, rows)}<p class='muted'>全部数值见 xlsx 的“学校趋势”表或 JSON。</p>"
        "</section>"
    )


def _figure(trajectory: Trajectory, cv: CvTrajectory) -> str:
    title = chart_title(cv, trajectory)
    return f"<figure><figcaption>{escape(title)}</figcaption>{trend_svg(trajectory, cv)}</figure>"


def trend_svg(trajectory: Trajectory, cv: CvTrajectory) -> str:
    """Observed CVs as dots, the least-squares line over every grid period shown, the limit
    as a dashed red line, the projected period ringed, the target date as a dotted line."""
    frame = chart_frame(trajectory, cv)
    n = len(frame)
    low, high, step, decimals = chart_range(frame)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(k: float) -> float:
        return LEFT + (k / max(1, n - 1)) * plot_w

    def y(v: float) -> float:
        return TOP + (high - v) / (high - low) * plot_h

    items = [
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#bbb"/>'
    ]
    for k in range(round((high - low) / step) + 1):  # grid lines at the round ticks
        value = low + step * k
        items.append(
            f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{LEFT + plot_w}" y2="{y(value):.1f}" '
            f'stroke="#eee"/><text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'font-size="12">{value:.{decimals}f}</text>'
        )
    every = 1 if n <= 10 else 2 if n <= 20 else 3
    for k, label in enumerate(frame["期别"]):
        if k % every == 0 or k == n - 1:
            items.append(
                f'<text x="{x(k):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" '
                f'font-size="12">{escape(str(label))}</text>'
            )
    limit_y = y(cv.limit)
    items.append(
        f'<line x1="{LEFT}" y1="{limit_y:.1f}" x2="{LEFT + plot_w}" y2="{limit_y:.1f}" '
        f'stroke="{RED}" stroke-dasharray="6,4" stroke-width="2"/>'
    )
    fitted = [(k, v) for k, v in enumerate(frame["趋势线"]) if pd.notna(v)]
    if fitted:
        points = " ".join(f"{x(k):.1f},{y(v):.1f}" for k, v in fitted)
        items.append(f'<polyline points="{points}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    for k, v in enumerate(frame["实际"]):
        if pd.notna(v):
            items.append(f'<circle cx="{x(k):.1f}" cy="{y(v):.1f}" r="5" fill="{BLUE}"/>')
    position = cv.projection.position
    if position is not None and position < n and cv.fit is not None:
        px, py = x(position), y(cv.fit.at(position))
        items.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="8" fill="none" stroke="{RED}" '
            f'stroke-width="2"/><text x="{px:.1f}" y="{py + 24:.1f}" text-anchor="middle" '
            f'font-size="12" fill="{RED}">预计 {escape(str(cv.projection.period))}</text>'
        )
    goal = trajectory.target_position
    if goal is not None and goal <= n - 1:
        items.append(
            f'<line x1="{x(goal):.1f}" y1="{TOP}" x2="{x(goal):.1f}" y2="{TOP + plot_h}" '
            f'stroke="{GREY}" stroke-dasharray="2,3" stroke-width="2"/>'
            f'<text x="{x(goal):.1f}" y="{TOP - 8}" text-anchor="middle" font-size="12" '
            f'fill="{GREY}">目标 {escape(str(trajectory.target))}</text>'
        )
    items += _legend(cv)
    return svg(WIDTH, HEIGHT, chart_title(cv, trajectory), items)


def _legend(cv: CvTrajectory) -> list[str]:
    x0, y0 = WIDTH - RIGHT + 16, TOP + 10
    return [
        f'<circle cx="{x0 + 8}" cy="{y0}" r="5" fill="{BLUE}"/>'
        f'<text x="{x0 + 20}" y="{y0 + 4}" font-size="12">各期实际</text>',
        f'<line x1="{x0}" y1="{y0 + 22}" x2="{x0 + 16}" y2="{y0 + 22}" stroke="{BLUE}" '
        f'stroke-width="2"/><text x="{x0 + 20}" y="{y0 + 26}" font-size="12">趋势线（最小二乘）'
        "</text>",
        f'<line x1="{x0}" y1="{y0 + 44}" x2="{x0 + 16}" y2="{y0 + 44}" stroke="{RED}" '
        f'stroke-dasharray="6,4" stroke-width="2"/><text x="{x0 + 20}" y="{y0 + 48}" '
        f'font-size="12">限值 {cv.limit:.2f}</text>',
    ]
