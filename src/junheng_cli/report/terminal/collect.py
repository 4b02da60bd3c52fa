"""The terminal view of a collection (`junheng collect`)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from junheng_cli.report.terminal.common import titled_table
from junheng_cli.workflows.collect import ATTENTION, Collection, Status

MISSING_SHOWN = 20  # schools of the roster not returned: how many to name in the terminal


def render_collection(console: Console, result: Collection, output: Path) -> None:
    """The collection account: what was merged, what needs a look, what is missing."""
    roster = f"，名册 {result.roster_schools} 所" if result.roster else ""
    console.print(
        f"收集：{escape(str(result.folder))}，工作簿 {result.workbooks} 个{roster}；"
        f"合并 {len(result.merged)} 所学校 → {escape(str(output))}［学校］"
    )
    missing = [e for e in result.entries if e.status is Status.MISSING]
    # Not in the table: merged rows without a remark, blank / 合计 / note rows (counted
    # below, listed in the sheet), and the roster's gaps (listed below).
    shown = [
        e
        for e in result.entries
        if e.status not in (Status.MISSING, Status.NOT_SCHOOL)
        and (e.status is not Status.MERGED or e.detail)
    ]
    if shown:
        table = titled_table(
            "收集情况（已合并且无问题的行、空行、合计行和注释行不列出）",
            show_lines=True,
            expand=True,
        )
        table.add_column("情况", no_wrap=True)
        for header, ratio in (("位置", 3), ("学校", 2), ("说明", 5)):
            table.add_column(header, overflow="fold", ratio=ratio)
        for e in shown:
            style = "bold red" if e.status in ATTENTION else "dim"
            school = " ".join(p for p in (e.code, e.name) if p)
            table.add_row(Text(e.status.value, style=style), e.where, school, Text(e.detail))
        console.print(table)
    if missing:
        schools = "、".join(
            escape(" ".join(p for p in (e.code, e.name) if p)) for e in missing[:MISSING_SHOWN]
        )
        more = (
            f" 等，完整名单见 {escape(str(output))}［收集情况］"
            if len(missing) > MISSING_SHOWN
            else ""
        )
        console.print(
            f"[bold red]未交[/]（名册中有、回收的文件中没有的 {len(missing)} 所）：{schools}{more}"
        )
    counts = "，".join(f"{s.value} {n}" for s, n in result.counts().items())
    console.print(f"合计：{counts}")
    remarks = sum(1 for e in result.entries if "提醒：" in e.detail)
    if remarks:
        console.print(
            f"[yellow]{remarks} 行的数字明显偏离全县中位数（如把万元填成了元），已合并，"
            "请按上表的“提醒”向学校核实。[/]"
        )
    if result.roster_county_sheets:
        console.print(
            f"[yellow]名册中的“{'、'.join(result.roster_county_sheets)}”工作表未带入 "
            f"{escape(str(output))}：县级指标不由学校填报。评估前请在合并结果中加一个"
            "“县级指标”工作表（指标、数值两列），或用 junheng evaluate --county-items "
            "县级指标.yaml 提供。[/]",
            soft_wrap=True,
        )
    if result.standard is None:
        console.print(
            "[dim]未指定 --standard：只检查了学校名称、类型、在校生和数字；"
            "加 --standard（如 quality-2017）可检查各校是否填全。[/]"
        )
    if result.needs_attention:
        console.print(
            f"[bold yellow]有需要处理的情况（见上表，也在 {escape(str(output))}［收集情况］）。[/]"
        )
    else:
        console.print("[bold green]全部文件已合并。[/]")
