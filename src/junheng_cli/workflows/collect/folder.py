"""Which files under a collection folder are returned workbooks, and which are passed over
(temporary files, the roster, an earlier run's output …) and why."""

from __future__ import annotations

import os
from pathlib import Path

from junheng_cli.io.cells import ReadError
from junheng_cli.io.read import open_workbook
from junheng_cli.workflows.collect.account import ACCOUNT_SHEET, UNREADABLE_ERRORS, Entry, Status
from junheng_cli.workflows.files import WORKBOOK_SUFFIXES


def find_returns(
    folder: Path, exclude: dict[Path, str] | None = None
) -> tuple[list[Path], list[Entry]]:
    """The workbooks under ``folder`` (recursively, in a stable order) and the files passed
    over, each with its reason (``exclude``: files not to read, with why). Hidden files
    (.DS_Store …) are passed over silently."""
    excluded = {p.resolve(): why for p, why in (exclude or {}).items()}
    workbooks: list[Path] = []
    skipped: list[Entry] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        label = relative_label(path, folder)
        if path.name.startswith("."):
            continue
        if path.name.startswith("~$"):
            reason = "Excel 或 WPS 打开文件时留下的临时文件"
        elif path.resolve() in excluded:
            reason = excluded[path.resolve()]
        elif path.suffix.lower() not in WORKBOOK_SUFFIXES:
            reason = f"不是工作簿（{path.suffix or '无扩展名'}），未读取"
        else:
            workbooks.append(path)
            continue
        skipped.append(Entry(Status.SKIPPED, label, detail=reason))
    return workbooks, skipped


def is_collection(path: Path) -> bool:
    """A merged workbook junheng wrote (it has a 收集情况 sheet): an earlier run's output,
    not a school's return."""
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not os.path.isfile(path):
        return False
    try:
        return ACCOUNT_SHEET in open_workbook(path).sheet_names
    except (ReadError, *UNREADABLE_ERRORS):
        return False


def not_returns(output: Path | None, roster: Path | None) -> dict[Path, str]:
    """Files under the folder not read as returns, with why: the roster, and an earlier
    merged workbook where this run writes its output. Any other file at the output's path
    is a return, and the command refuses to write over it."""
    exclude = {}
    if output is not None and is_collection(output):
        exclude[output] = "本次合并的输出文件"
    if roster is not None:
        exclude[roster] = "名册文件"
    return {p: f"{why}，不作为回收文件读取" for p, why in exclude.items()}


def files_to_collect(folder: Path, output: Path | None, roster: Path | None) -> list[Path]:
    """The returned workbooks ``collect`` reads under ``folder``: the files no output may
    replace."""
    return find_returns(folder, not_returns(output, roster))[0]


def relative_label(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)
