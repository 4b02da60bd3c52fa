"""The statistics import in the terminal: files read and skipped, figures still missing, and
where the supplementary workbook disagrees."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from junheng_cli.io.stats.result import StatsImport

SHOWN = 20  # skipped files and missing figures listed on the terminal (the workbook has all)


def render_import(console: Console, imported: StatsImport, brief: bool = False) -> None:
    """Counts, every skipped file with its reason, schools still missing figures, and
    differences from the supplementary workbook."""
    total = len(imported.outcomes)
    done = len(imported.imported)
    skipped = imported.skipped
    generations = Counter(o.generation for o in imported.imported)
    versions = "、".join(f"{g} {n} 个" for g, n in sorted(generations.items()))
    console.print(
        f"统计报表：共 {total} 个文件，导入 {done} 个（{versions or '无'}），"
        f"跳过 {len(skipped)} 个",
        highlight=False,
        soft_wrap=True,
    )
    for outcome in skipped[: SHOWN if brief else len(skipped)]:
        style = "red" if outcome.problem else "dim"
        console.print(
            f"  [{style}]已跳过[/] {escape(outcome.file)}：{escape(outcome.reason)}",
            highlight=False,
            soft_wrap=True,
        )
    if brief and len(skipped) > SHOWN:
        console.print(f"  … 另有 {len(skipped) - SHOWN} 个（junheng import-stats 可写出全部）")
    for outcome in imported.imported:
        for note in outcome.notes:
            console.print(
                f"  [yellow]注意[/] {escape(outcome.file)}：{escape(note)}",
                highlight=False,
                soft_wrap=True,
            )
    if imported.missing:
        schools = len({m.row for m in imported.missing})
        console.print(
            f"[yellow]{schools} 所学校缺 {len(imported.missing)} 个数：[/]", highlight=False
        )
        for m in imported.missing[: SHOWN if brief else len(imported.missing)]:
            console.print(
                f"  {escape(m.name)}（{escape(m.code)}）缺“{m.header}”：{escape(m.why)}",
                highlight=False,
                soft_wrap=True,
            )
    for d in imported.differences:
        console.print(
            f"  [yellow]不一致[/] {escape(d.name)}“{d.header}”：统计报表 {d.form_value}"
            f"（{escape(d.form_place)}），补充表 {d.supplement_value}"
            f"（{escape(d.supplement_place)}）；采用统计报表",
            highlight=False,
            soft_wrap=True,
        )
    for note in imported.supplement_notes:
        console.print(f"  [yellow]补充表[/] {escape(note)}", highlight=False, soft_wrap=True)
    for loaded in imported.maps:
        if loaded.replaces:
            console.print(
                f"[yellow]注意[/]：报表映射 {loaded.form.id} 使用 {escape(loaded.path)}，"
                f"覆盖内置的 {escape(Path(loaded.replaces).name)}",
                highlight=False,
                soft_wrap=True,
            )
