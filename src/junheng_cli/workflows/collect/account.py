"""The account of a collection (收集情况): a status for every file and every row read, and the
merged result."""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import pandas as pd

from junheng_cli.io.sheet_table import SchoolTable
from junheng_cli.model.fields import Column
from junheng_cli.standards.model import Standard

FILE = "来源文件"
SHEET = "来源工作表"
FILE_ROW = "来源行"
SOURCE_COLUMNS = (FILE, SHEET, FILE_ROW)
ACCOUNT_SHEET = "收集情况"  # the merged workbook's account sheet: what marks a collection
STATUS, DETAIL, ORDER, MTIME, PATH = "_status", "_detail", "_order", "_mtime", "_path"


class Status(StrEnum):
    MERGED = "已合并"
    INCOMPLETE = "未填完"  # merged; cells the standard needs are empty
    INVALID = "数据有误"  # merged; a value is not a number, negative, a part above its whole …
    BLANK = "未填写"  # no school row, or a row without a single figure: nothing merged
    SAME = "重复（内容相同）"  # the same school again with the same figures: merged once
    CONFLICT = "重复（内容不同）"  # the same school with different figures: none merged
    UNMERGEABLE = "无法合并"  # read, but a required column is missing or a unit is wrong
    UNREADABLE = "无法读取"
    MISSING = "未交"  # in the roster, no returned file has it
    NOT_SCHOOL = "非学校行"  # a blank, 合计 or note row of a returned file: nothing to merge
    SKIPPED = "已跳过"  # not a returned workbook (temporary file, the output, a PDF …)


MERGED_STATUSES = frozenset({Status.MERGED, Status.INCOMPLETE, Status.INVALID})
ATTENTION = frozenset(
    {
        Status.INCOMPLETE,
        Status.INVALID,
        Status.BLANK,
        Status.CONFLICT,
        Status.UNMERGEABLE,
        Status.UNREADABLE,
        Status.MISSING,
    }
)
INCOMPLETE_CODES = frozenset(
    {"E_MISSING_VALUE", "E_NO_STUDENTS", "E_MISSING_NAME", "E_MISSING_TYPE"}
)
FILE_CODES = frozenset({"E_MISSING_COLUMN", "E_BAD_UNIT"})  # the file cannot be merged
# Warnings about a row's figures (万元 typed under 元 …): a remark, the row is still merged.
REMARK_CODES = frozenset({"W_OUTLIER", "W_TEACHERS_NO_STUDENTS"})
# What a returned file can throw at the reader besides ReadError (and MemoryError: a file too
# large for this machine); anything else is a bug, listed as 内部错误 for that file alone.
# RecursionError: XML nested too deep.
UNREADABLE_ERRORS = (
    OSError,
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    ValueError,
    RecursionError,
)
ROW_KINDS = {
    "blank": "空行：未合并",
    "total": "合计、小计或总计行：不是学校，未合并",
    "note": "注释行（注：…、填表人：… 等）：未合并",
}
IGNORED_CODES = frozenset({"E_DUPLICATE_SCHOOL"})  # duplicates are judged across all files


@dataclass(frozen=True)
class Entry:
    """One line of the account (收集情况)."""

    status: Status
    file: str = ""  # relative to the collection folder
    sheet: str = ""
    row: int | None = None
    code: str = ""
    name: str = ""
    detail: str = ""

    @property
    def where(self) -> str:
        place = f"{self.file}［{self.sheet}］" if self.sheet else self.file
        return f"{place}第 {self.row} 行" if self.row is not None else place


@dataclass
class Collection:
    folder: Path
    standard: Standard | None
    columns: list[Column]  # canonical columns of the merged sheet, in template order
    merged: pd.DataFrame  # one row per merged school: column names + SOURCE_COLUMNS
    entries: list[Entry]
    workbooks: int  # returned workbooks found (read or not)
    roster: Path | None = None
    roster_schools: int = 0
    roster_county_sheets: list[str] = field(default_factory=list)  # 县级指标: not carried over

    @property
    def needs_attention(self) -> bool:
        return any(e.status in ATTENTION for e in self.entries)

    def counts(self) -> dict[Status, int]:
        """Entries per status, in the order of ``Status``; only statuses that occur."""
        found = [e.status for e in self.entries]
        return {s: found.count(s) for s in Status if s in found}


@dataclass
class Returned:
    """One returned workbook as read: its school table (None when there is nothing to check)
    and what concerns the file as a whole."""

    index: int
    path: Path
    label: str
    table: SchoolTable | None = None
    entries: list[Entry] = field(default_factory=list)

    @property
    def columns(self) -> set[str]:
        """Every column some sheet of the file maps."""
        sheets = self.table.sheets if self.table is not None else []
        return set().union(*(s.sources for s in sheets))


def join_detail(detail: Any, text: str) -> str:
    return f"{detail}；{text}" if isinstance(detail, str) and detail else text
