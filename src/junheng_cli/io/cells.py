"""A sheet's cells as read, the error a file that cannot be read raises, and column letters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from junheng_cli.errors import JunhengError

Cell = Any
Merged = tuple[tuple[int, int], tuple[int, int]]  # ((first row, first col), (last row, last col))


class ReadError(JunhengError):
    """The file cannot be read. The message is for the user (Chinese)."""

    def __init__(self, message: str, file: str, sheet: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.sheet = sheet

    def __str__(self) -> str:
        where = self.file if self.sheet is None else f"{self.file}［{self.sheet}］"
        return f"{where}：{self.message}"

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str, str | None]]:
        # returned by batch's worker processes: pickled with all three arguments
        return (ReadError, (self.message, self.file, self.sheet))


@dataclass
class Sheet:
    """The cells of one sheet from A1, row by row (0-based indices throughout)."""

    file: str
    name: str
    rows: list[list[Cell]]
    merged: list[Merged] = field(default_factory=list)
    uncached_formulas: set[tuple[int, int]] = field(default_factory=set)
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # cell → #DIV/0! …


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1
