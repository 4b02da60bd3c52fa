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
    chart_title,
    charted,
    cv_frame,
    periods_frame,
    schools_frame,
)
from junheng_cli.report.html.elements import svg, table_section
from junheng_cli.report.html.page import CSS, page_css
from junheng_cli.report.wording.trajectory import headline_lines, method_sentence
from junheng_cli.workflows.trajectory import CvTrajectory, Trajectory

WIDTH, HEIGHT = 900, 330
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 24, 56  # the plot's margins inside the viewBox
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
        f"<style>{CSS}{page_css(title)}</style></head><body>",
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
    parts.append(f"<p class='muted'>{escape(method_sentence(trajectory))}</p>")
    chosen = charted(trajectory)
    if chosen:
        parts.append("<section><h2>差异系数的趋势与限值</h2>")
        parts += [_figure(trajectory, cv) for cv in chosen]
        parts.append("</section>")
    parts.append(_numbers_section("各项差异系数", cv_frame(trajectory), 4))
    if standard.judges_schools:
        parts.append(_numbers_section("未达标学校的各项指标", schools_frame(trajectory), 2))
    parts.append(table_section("各期", periods_frame(trajectory)))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _numbers_section(title: str, frame: pd.DataFrame, decimals: int) -> str:
    """A table with its fractional numbers to ``decimals`` places (CVs to four)."""
    shown = frame.copy()
    for column in shown.columns:
        if shown[column].dtype.kind == "f":
            shown[column] = [
                None
                if pd.isna(v)
                else f"{v:+,.{decimals}f}"
                if "变化" in str(column)
                else f"{v:,.{decimals}f}"
                for v in shown[column]
            ]
    return table_section(title, shown)


def _figure(trajectory: Trajectory, cv: CvTrajectory) -> str:
    title = chart_title(cv, trajectory)
    return f"<figure><figcaption>{escape(title)}</figcaption>{trend_svg(trajectory, cv)}</figure>"


def trend_svg(trajectory: Trajectory, cv: CvTrajectory) -> str:
    """Observed CVs as dots, the least-squares line over every grid period shown, the limit
    as a dashed red line, the projected period ringed, the target date as a dotted line."""
    frame = chart_frame(trajectory, cv)
    n = len(frame)
    numbers = [v for c in ("实际", "趋势线", "限值") for v in frame[c] if pd.notna(v)]
    low, high = min(numbers), max(numbers)
    pad = (high - low) * 0.12 or 0.01
    low, high = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(k: float) -> float:
        return LEFT + (k / max(1, n - 1)) * plot_w

    def y(v: float) -> float:
        return TOP + (high - v) / (high - low) * plot_h

    items = [
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#bbb"/>'
    ]
    for k in range(5):  # horizontal grid lines with their values
        value = low + (high - low) * k / 4
        items.append(
            f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{LEFT + plot_w}" y2="{y(value):.1f}" '
            f'stroke="#eee"/><text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'font-size="12">{value:.3f}</text>'
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
