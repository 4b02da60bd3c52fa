"""What became of each file of a statistics import: imported, or skipped with the reason; the
place each figure was read from; what is missing or differs.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from junheng_cli.errors import JunhengError
from junheng_cli.io.cells import column_letter

IMPORTED = "已导入"
SKIPPED = "已跳过"
SCHOOL_SHEET = "学校"
STATS_SHEET = re.compile(r"^(基础基|教基|中职基|高基|幼基|特基)\s*\d")
EMPTY_MARKS = frozenset({"", "*", "-", "—", "－", "/"})


LEVEL_ORDER = ("primary", "junior", "senior")


class Skip(JunhengError):
    """A workbook that cannot be imported; the message says why (Chinese). ``problem``: False
    for a file that is simply not a school's statistics export of a compulsory school (a
    foreign workbook, a kindergarten): nothing of the county is lost by skipping it."""

    def __init__(self, message: str, problem: bool = True) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True)
class Provenance:
    row: int  # index of the school in ``frame``
    column: str  # canonical column name
    file: str
    sheet: str
    cells: tuple[str, ...]
    arithmetic: str
    value: Any

    @property
    def first_cell(self) -> tuple[int | None, str | None]:
        match = re.match(r"([A-Z]+)(\d+)", self.cells[0]) if self.cells else None
        return (int(match.group(2)), match.group(1)) if match else (None, None)


@dataclass
class Outcome:
    file: str
    status: str  # 已导入 / 已跳过
    reason: str = ""
    generation: str = ""
    code: str = ""
    name: str = ""
    school_type: str = ""
    ownership: str = ""
    notes: list[str] = field(default_factory=list)
    problem: bool = False  # skipped, and a school of the county may be lost by it


@dataclass(frozen=True)
class Missing:
    row: int
    name: str
    code: str
    file: str
    column: str
    header: str
    why: str


@dataclass(frozen=True)
class Difference:
    name: str
    code: str
    header: str
    form_value: Any
    form_place: str
    supplement_value: Any
    supplement_place: str


@functools.lru_cache(maxsize=1024)
def cached_letter(index: int) -> str:
    """The column letter of a 0-based index (the same few columns are named again and again)."""
    return column_letter(index)
