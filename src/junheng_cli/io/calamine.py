"""The cell reader (python-calamine): opening a workbook, its refusals in Chinese, merged ranges."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from junheng_cli.io.cells import Merged, ReadError
from junheng_cli.io.limits import MAX_CELLS


def open_calamine(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for bad files
        kind = type(exc).__name__
        if "Password" in kind:
            raise ReadError("工作簿有密码保护：请在 Excel 中取消密码后另存再试", str(path)) from exc
        if _CELL_LIMIT.search(str(exc)):  # .ods: its sheets are laid out when it is opened
            raise ReadError(calamine_message(exc), str(path)) from exc
        raise ReadError(f"文件已损坏或并非 Excel 工作簿（{_short(exc)}）", str(path)) from exc


_CELL_LIMIT = re.compile(r"Cell limit exceeded \((\d+) cells requested")


def calamine_message(exc: Exception) -> str:
    """The reader's own refusal of a sheet too large (.ods: repeated rows and columns) in
    Chinese; anything else as it says."""
    match = _CELL_LIMIT.search(str(exc))
    if match:
        return (
            f"工作表的范围达 {int(match.group(1)):,} 个单元格，超过上限 {MAX_CELLS:,}："
            "远离表格的单元格（或整行、整列重复的单元格）有内容；请删除表格以外的内容后重试"
        )
    return f"无法读取工作表：{_short(exc)}"


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def merged_ranges(sheet: Any) -> list[Merged]:
    try:
        ranges = sheet.merged_cell_ranges
    except Exception:  # not every format reports merged cells
        return []
    return [((a, b), (c, d)) for (a, b), (c, d) in ranges or []]
