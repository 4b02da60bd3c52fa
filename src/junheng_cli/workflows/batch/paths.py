"""The files a batch reads (folders, glob patterns, files), and the advice given when
``evaluate`` is pointed at folders of county workbooks."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from junheng_cli.workflows.files import WORKBOOK_SUFFIXES


def expand_paths(paths: list[str]) -> list[Path]:
    """Folders (their workbooks, recursively), glob patterns and files, in a stable order."""
    found: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith((".", "~$"))
            )
        elif any(ch in text for ch in "*?["):
            found += sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        else:
            found.append(path)
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path, None)
    return list(unique)


def folder_advice(folders: Sequence[Path], standard: str) -> str:
    """What to run instead of ``evaluate`` on folders of ordinary workbooks (not statistics
    exports): ``batch`` when each workbook is a county, ``evaluate`` on the files when they are
    parts of one county, ``--input-kind stats`` when they are exports after all. ``standard``
    is the ``--standard`` given, repeated in the commands so that they run as shown."""
    from junheng_cli.io.stats.recognise import is_stats_workbook

    books = [b for folder in folders for b in expand_paths([str(folder)])]
    where = "、".join(str(f) for f in folders)
    if not books:
        suffixes = " ".join(WORKBOOK_SUFFIXES)
        return f"{where} 是文件夹，其中没有工作簿（{suffixes}）：evaluate 要给出工作簿文件"
    exports = sum(1 for b in books[:200] if is_stats_workbook(b))
    quoted = " ".join(shell_word(str(f)) for f in folders)
    option = f"--standard {shell_word(standard)}"
    kinds = {b.suffix.lower() for b in books}
    parts = (
        " ".join(shell_word(str(f)) + f"/*{next(iter(kinds))}" for f in folders)
        if len(kinds) == 1 and all(b.parent in folders for b in books)
        else "（逐个列出这些工作簿）"
    )
    which = f"只有 {exports} 个是教育事业统计报表" if exports else "都不是教育事业统计报表"
    lines = [
        f"{where} 是文件夹，其中的 {len(books)} 个工作簿{which}；"
        "evaluate 评估一个县，要给出这个县的工作簿文件。",
        f"  各县一个工作簿（逐县评估并排名）：junheng batch {quoted} {option}",
        f"  同一个县分在几个工作簿里（合为一个县评估）：junheng evaluate {parts} {option}",
    ]
    if exports:
        lines.append(
            f"  只读其中 {exports} 个教育事业统计报表（其余跳过）：junheng evaluate {quoted} "
            f"--input-kind stats {option}"
        )
    return "\n".join(lines)


_SHELL_SPECIAL = frozenset(" \t\n'\"\\$`*?[]{}()<>|&;#~!=")


def shell_word(text: str) -> str:
    """A path as typed in a shell: as it is (Chinese included), or in single quotes when it
    holds a character the shell would act on."""
    if text and not _SHELL_SPECIAL & set(text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"
