"""Read the cells of a school sheet from .xlsx/.xlsm/.xls/.ods/.csv into plain rows.

Cells keep their type as the reader gives it (numbers stay numbers, text stays text);
interpreting them is the schema layer's job. Every row keeps its Excel row number.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
CSV_SUFFIXES = (".csv",)
PREFERRED_SHEET = "学校"
CSV_ENCODINGS = ("utf-8-sig", "gb18030")

Cell = Any


class ReadError(Exception):
    """The file cannot be read as a workbook. The message is for the user (Chinese)."""

    def __init__(self, message: str, file: str, sheet: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.sheet = sheet

    def __str__(self) -> str:
        where = self.file if self.sheet is None else f"{self.file}［{self.sheet}］"
        return f"{where}：{self.message}"


@dataclass
class Sheet:
    """The cells of one sheet, row by row, from A1 (rows may differ in length)."""

    file: str
    name: str
    rows: list[list[Cell]]
    sheet_names: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """Read one sheet: ``sheet`` if given, else ``学校`` if present, else the first."""
    if not path.exists():
        raise ReadError("文件不存在", str(path))
    if path.is_dir():
        raise ReadError("这是一个文件夹，不是工作簿", str(path))
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet)
    raise ReadError(
        f"不支持的文件类型 {path.suffix or '（无扩展名）'}；支持 .xlsx .xlsm .xls .ods .csv",
        str(path),
    )


def _read_excel(path: Path, sheet: str | None) -> Sheet:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for bad files
        raise ReadError(_describe_open_error(exc), str(path)) from exc
    names = list(workbook.sheet_names)
    if not names:
        raise ReadError("工作簿中没有工作表", str(path))
    chosen = _choose_sheet(names, sheet, str(path))
    try:
        rows = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as exc:
        raise ReadError(f"无法读取工作表：{exc}", str(path), chosen) from exc
    return Sheet(str(path), chosen, [list(r) for r in rows], names)


def _choose_sheet(names: Sequence[str], wanted: str | None, file: str) -> str:
    if wanted is not None:
        if wanted not in names:
            raise ReadError(f"没有名为 {wanted!r} 的工作表；工作表有：{'、'.join(names)}", file)
        return wanted
    return PREFERRED_SHEET if PREFERRED_SHEET in names else names[0]


def _describe_open_error(exc: Exception) -> str:
    kind = type(exc).__name__
    if "Password" in kind:
        return "工作簿有密码保护，请先在 Excel 中取消密码后另存"
    return f"无法作为工作簿打开（文件损坏或并非 Excel 文件）：{exc}"


def _read_csv(path: Path) -> Sheet:
    raw = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        rows = [list(r) for r in csv.reader(text.splitlines())]
        return Sheet(str(path), path.stem, rows, [path.stem])
    raise ReadError("无法识别 CSV 的文字编码（支持 UTF-8、GBK/GB18030）", str(path))
