"""A trajectory in the terminal (rich): the headline first (which coefficients pass by the
target date and when), then every coefficient's pace, then the failing schools. Rounds for
display only; the numbers come from ``junheng_cli.workflows.trajectory``."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape as esc
from rich.table import Table
from rich.text import Text

from junheng_cli.report.terminal.common import CV_DECIMALS, number, titled_table
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
from junheng_cli.workflows.trajectory import Outlook, Projection, SchoolTrajectory, Trajectory

LIST_AT_MOST = 20
STYLE = {
    Outlook.PASSING: "green",
    Outlook.PROJECTED: "cyan",
    Outlook.WORSENING: "bold red",
    Outlook.FLAT: "red",
    Outlook.BEYOND: "red",
    Outlook.TOO_FEW: "yellow",
}


def render_trajectory(console: Console, trajectory: Trajectory) -> None:
    standard = trajectory.standard
    target = f"，目标日期 {trajectory.target}" if trajectory.target else ""
    console.print(
        f"[bold]junheng 达标趋势 · {esc(standard.name)}[/]（{standard.id}）："
        f"{len(trajectory.periods)} 期，{esc(' → '.join(trajectory.labels))}{target}"
    )
    for text in headline_lines(trajectory):
        console.print(Text(text, style="bold"), soft_wrap=True)
    note = undated_note(trajectory)
    if note:
        console.print(Text(note, style="yellow"), soft_wrap=True)
    if standard.example:
        console.print("[bold yellow]注意：示例标准文件，数值未经正式文件核实，结果仅供演示。[/]")
    console.print(Text(method_sentence(trajectory), style="dim"), soft_wrap=True)
    console.print()
    console.print(_cv_table(trajectory))
    if standard.judges_schools and trajectory.schools:
        console.print()
        console.print(_schools_table(trajectory))


def _outlook(projection: Projection, trajectory: Trajectory) -> Text:
    return Text(outlook_words(projection, trajectory.timeline), style=STYLE[projection.outlook])


def _cv_table(trajectory: Trajectory) -> Table:
    line = trajectory.timeline
    table = titled_table("差异系数的趋势（有限值的各项）")
    table.add_column("学段")
    table.add_column("指标")
    table.add_column("限值", justify="right")
    for label in period_headers(trajectory):
        table.add_column(esc(label), justify="right")
    table.add_column(pace_header(line), justify="right")
    table.add_column("趋势")
    if trajectory.target:
        table.add_column(f"{trajectory.target}前", justify="center")
    for cv in trajectory.cvs:
        values = [
            f"[red]{number(v, CV_DECIMALS)}[/]"
            if v is not None and v > cv.limit
            else number(v, CV_DECIMALS)
            for v in cv.values
        ]
        row = [cv.level_name, cv.label, f"{cv.limit:.2f}", *values, pace(cv.fit, CV_DECIMALS)]
        cells: list[str | Text] = [*row, _outlook(cv.projection, trajectory)]
        if trajectory.target:
            cells.append(by_target_word(cv.projection))
        table.add_row(*cells)
    return table


def _schools_table(trajectory: Trajectory) -> Table:
    schools = trajectory.schools
    table = titled_table(f"未达标的学段单位（{len(schools)} 个，最早达标的在前）", show_lines=True)
    table.add_column("学校", overflow="fold", ratio=1)
    table.add_column("学段", no_wrap=True)
    table.add_column("达标项", no_wrap=True)
    table.add_column(
        f"未达标的指标：各期值 / 标准（{pace_header(trajectory.timeline)}，何时达到标准）",
        overflow="fold",
        ratio=3,
    )
    table.add_column("学校预计", overflow="fold", ratio=1)
    for school in schools[:LIST_AT_MOST]:
        met = " → ".join("—" if m is None else str(m) for m in school.met)
        outlook = _outlook(school.projection, trajectory)
        if trajectory.target and school.projection.by_target is not None:
            outlook.append(f"\n{trajectory.target}前：{by_target_word(school.projection)}")
        table.add_row(
            Text(school.name),
            school.level.chinese,
            f"{met} / {school.indicators}",
            _tracks(school, trajectory),
            outlook,
        )
    if len(schools) > LIST_AT_MOST:
        table.caption = f"另有 {len(schools) - LIST_AT_MOST} 个，见 --output 趋势.xlsx"
    return table


def _tracks(school: SchoolTrajectory, trajectory: Trajectory) -> Text:
    lines = []
    for track in school.tracks:
        places = track.decimals
        values = " → ".join(number(v, places) for v in track.values)
        lines.append(
            f"{track.label} {values} / {number(track.threshold, places)}"
            f"（{pace(track.fit, places)}，{short_words(track, trajectory.timeline)}）"
        )
    return Text("\n".join(lines))
