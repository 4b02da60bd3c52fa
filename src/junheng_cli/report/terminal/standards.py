"""``junheng standards``: where standard files are looked for, and every one found."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.text import Text

from junheng_cli.report.terminal.common import titled_table
from junheng_cli.standards.files import (
    LOCAL_DIR_NAME,
    ORIGIN_LABELS,
    StandardError,
    builtin_standards_dir,
    env_dirs,
)
from junheng_cli.standards.model import ListedStandard


def _short_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _render_search_order(console: Console) -> None:
    cwd_dir = Path.cwd() / LOCAL_DIR_NAME
    builtin = builtin_standards_dir()
    steps = [
        "--standard 给出的文件路径",
        f"{ORIGIN_LABELS['env']}：{os.pathsep.join(env_dirs()) or '未设置'}",
        f"{ORIGIN_LABELS['cwd']}：{cwd_dir}" + ("" if cwd_dir.is_dir() else "（不存在）"),
        f"{ORIGIN_LABELS['builtin']}：{builtin if builtin is not None else '（缺失）'}",
    ]
    console.print("[bold]标准文件的查找顺序[/]（同一 id 以先找到的为准）：", highlight=False)
    for n, step in enumerate(steps, start=1):
        console.print(f"  {n}. {step}", highlight=False, soft_wrap=True)


def render_standards(console: Console, listed: list[ListedStandard]) -> None:
    _render_search_order(console)
    table = titled_table(title="可用的评估标准")
    for header in ("id", "别名", "名称", "判定方式", "指标数", "来源", "文件"):
        table.add_column(header, overflow="fold")
    for entry in listed:
        file, item = entry.file, entry.loaded
        origin = Text(file.origin_label)
        if not entry.used:
            origin.append("（未采用）", style="yellow")
        where = (file.origin_label, _short_path(file.path))
        if isinstance(item, StandardError):
            table.add_row(file.id, "", Text(f"无法加载：{item}", style="red"), "", "", *where)
            continue
        mode = "综合差异系数" if item.judgement.mode == "composite" else "逐项差异系数"
        if item.judges_schools:
            mode += " + 逐校达标"
        name = Text(item.name)
        if item.example:
            name.append("［示例，须对照正式文件确认］", style="yellow")
        table.add_row(
            item.id,
            "、".join(item.aliases),
            name,
            mode,
            str(len(item.indicators)),
            origin,
            _short_path(file.path),
        )
    console.print(table)
    for note in dict.fromkeys(e.note for e in listed if e.note):
        console.print(f"[yellow]注意[/]：{note}", highlight=False, soft_wrap=True)
