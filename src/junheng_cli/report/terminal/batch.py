"""The batch ranking of counties in the terminal, and the files a batch run wrote."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from junheng_cli.report.terminal.common import number, titled_table, verdict
from junheng_cli.report.wording.batch import COUNTY_STATUS, LEVELS, gap_text
from junheng_cli.workflows.batch import BIGGEST_GAP_RULE, BatchResult

SHOWN_AT_EACH_END = 25  # with the full ranking in a file, the terminal shows its two ends


def render_batch(console: Console, result: BatchResult, full_in: str | None = None) -> None:
    """The ranking. When ``full_in`` names the file that holds all of it and there are many
    counties, only the top and the bottom are shown (and every county that failed)."""
    scored = len(result.counties) - len(result.failed)
    table = titled_table(
        f"{result.standard.name}：{len(result.counties)} 个县，{scored} 个已评估，"
        f"{len(result.failed)} 个未能评估"
    )
    for header in (
        "名",
        "县",
        "结论",
        "小学综合/最高单项",
        "初中综合/最高单项",
        "未达标学校",
        "最大短板",
    ):
        # folded, never cut with "…": a cut figure ("缺 20…") reads as another figure
        justify = "right" if header in ("名", "未达标学校") else "left"
        table.add_column(header, justify=justify, overflow="fold")
    ranked = list(enumerate(result.ranked(), start=1))
    hidden = 0
    if full_in is not None and scored > 3 * SHOWN_AT_EACH_END:
        ends = {r for r, _ in ranked[:SHOWN_AT_EACH_END]}
        ends |= set([r for r, o in ranked if o.status == "scored"][-SHOWN_AT_EACH_END:])
        hidden = sum(1 for r, o in ranked if o.status == "scored" and r not in ends)
        ranked = [(r, o) for r, o in ranked if o.status != "scored" or r in ends]
    for position, (rank, outcome) in enumerate(ranked):
        if hidden and position == SHOWN_AT_EACH_END:
            table.add_row("…", Text(f"另有 {hidden} 个县"), *[""] * 5)
        s = outcome.summary
        if outcome.status != "scored":
            table.add_row(
                "",
                Text(outcome.county),
                Text(COUNTY_STATUS[outcome.status], style="red"),
                Text(outcome.error or ""),
                "",
                "",
                "",
            )
            continue
        cells = []
        failing = []
        for key, _ in LEVELS:
            level = s["levels"].get(key)
            if level is None:
                cells.append("—")
                continue
            cells.append(f"{number(level['composite_cv'], 4)} / {number(level['worst_cv'], 4)}")
            if level["schools_failed"] is not None:
                failing.append(str(level["schools_failed"]))
        gap = s.get("biggest_gap")
        table.add_row(
            str(rank),
            Text(outcome.county),
            verdict(s.get("passed")),
            *cells,
            " / ".join(failing),
            gap_text(gap) if gap else "",
        )
    console.print(table)
    if hidden:  # below the table: a long path in the 县 column would widen it
        console.print(f"另有 {hidden} 个县，完整排名见 {full_in}")
    if any(c.summary.get("biggest_gap") for c in result.counties):
        console.print(Text(f"注：{BIGGEST_GAP_RULE}。", style="dim"))
    for file, rows in result.file_rows.items():
        if rows:
            console.print(f"  {file}：空行和合计行 {rows} 行（不属于任何县）")


LISTED_REPORTS = 50  # more county reports than this: the first ones, and where the rest are


def render_written(console: Console, result: BatchResult, output: Path | None) -> None:
    """Every file the run wrote: the summary (``output``) and each county's report."""
    if output is not None:
        kind = _OUTPUT_KIND.get(output.suffix.lower(), "")
        console.print(Text(f"已写入 {output}（{kind}）"), soft_wrap=True)
    render_report_files(console, result)


_OUTPUT_KIND = {
    ".xlsx": "排名、未能评估、运行信息",
    ".json": "JSON：各县摘要与结果",
    ".csv": "排名",
}


def render_report_files(console: Console, result: BatchResult) -> None:
    """How many county reports were written where; each county whose report name is not
    simply its own name (made safe, or taken by an input or another county) is named,
    and so is every report that could not be written."""
    written = [c for c in result.counties if c.report is not None]
    if written:
        folder = Path(written[0].report or "").parent
        console.print(Text(f"已写入 各县报告 {len(written)} 份到 {folder}："), soft_wrap=True)
        for county in written[:LISTED_REPORTS]:
            console.print(Text(f"  {county.report}"), soft_wrap=True)
        if len(written) > LISTED_REPORTS:
            console.print(
                Text(
                    f"  ……另 {len(written) - LISTED_REPORTS} 份，也在 {folder}（每县一份；"
                    "各县的文件名见汇总的“报告文件”列或 JSON 的 report）"
                )
            )
    renamed = [c for c in written if Path(c.report or "").name != f"{c.county}.xlsx"]
    for county in renamed:
        console.print(Text(f"  {county.county} → {Path(county.report or '').name}"))
    if renamed:
        console.print(
            "  （县名不能直接作文件名（含 / \\ 等字符、只有点或过长），或与输入文件、其他县的报告"
            "同名时，报告另取名或加 -2 等后缀；输入文件从不被覆盖）",
            style="dim",
            highlight=False,
        )
    for county in result.reports_failed:
        console.print(Text(f"  {county.county}：{county.report_error}", style="red"))
