"""Where a result came from: the file, sheet and row, and what was read of each sheet."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """Where a row was read: file, sheet and Excel row number."""

    file: str
    sheet: str
    row: int


@dataclass(frozen=True)
class SheetInfo:
    file: str
    sheet: str
    header_rows: tuple[int, int]
    rows_read: int
    ignored_headers: list[tuple[str, str]]
