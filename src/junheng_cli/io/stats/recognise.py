"""Which form generation a workbook is, and whether files look like statistics exports at all."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from junheng_cli.io.cells import ReadError
from junheng_cli.io.read import EXCEL_SUFFIXES, Workbook, open_workbook
from junheng_cli.io.stats.forms import LoadedMap
from junheng_cli.io.stats.outcomes import STATS_SHEET, Skip


def recognise(workbook: Workbook, maps: Sequence[LoadedMap]) -> LoadedMap:
    """The map whose identity sheet the workbook has; Skip when none."""
    for loaded in maps:
        form = loaded.form
        wanted = form.recognise.identity_sheet
        if any(f"{wanted}{s}" in workbook.sheet_names for s in form.recognise.sheet_suffixes):
            return loaded
    names = "、".join(workbook.sheet_names[:8]) + ("…" if len(workbook.sheet_names) > 8 else "")
    if any(STATS_SHEET.match(n) for n in workbook.sheet_names):
        known = "、".join(m.form.recognise.identity_sheet for m in maps)
        raise Skip(f"无法识别的报表版本（工作表：{names}；已知版本的标识表：{known}）")
    raise Skip(f"不是教育统计报表（工作表：{names}）", problem=False)


def is_stats_workbook(path: Path) -> bool:
    """Whether a file's sheet names look like a statistics export (cheap: names only)."""
    try:
        with open_workbook(path) as workbook:
            return any(STATS_SHEET.match(n) for n in workbook.sheet_names)
    except ReadError:
        return False


def looks_like_stats(paths: Sequence[Path]) -> bool:
    """A folder or zip given to evaluate, or files that are all (or mostly) statistics
    exports: read as statistics workbooks."""
    from junheng_cli.io.guard import folder_files

    files: list[Path] = []
    for path in paths:
        if path.suffix.lower() == ".zip" and path.is_file():
            return True
        files += folder_files(path) if path.is_dir() else [path]
    books = [f for f in files if f.suffix.lower() in EXCEL_SUFFIXES]
    if not books:
        return False
    stats = others = 0
    for book in books:  # opened until the majority is known
        if is_stats_workbook(book):
            stats += 1
        else:
            others += 1
        if stats * 2 > len(books) or others * 2 >= len(books):
            break
    return stats * 2 > len(books)
