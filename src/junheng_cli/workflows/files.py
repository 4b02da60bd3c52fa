"""What the workflows share about files: which files are workbooks, and names made unique."""

from __future__ import annotations

from collections.abc import Callable

from junheng_cli.io.read import CSV_SUFFIXES, EXCEL_SUFFIXES

WORKBOOK_SUFFIXES = tuple(s for s in EXCEL_SUFFIXES + CSV_SUFFIXES if s != ".txt")


def numbered_stem(stem: str, free: Callable[[str], bool]) -> str:
    """``stem`` when ``free`` accepts it, else the first of ``stem-2``, ``stem-3`` … it does."""
    candidate, n = stem, 1
    while not free(candidate):
        n += 1
        candidate = f"{stem}-{n}"
    return candidate
