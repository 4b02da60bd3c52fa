"""Write outputs atomically: to a temporary file beside the target, then rename."""

from __future__ import annotations

import contextlib
import math
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from junheng_cli.io.spreadsheetml import MAIN, RELS, XML, package_parts, write_package, xml_text

# A temporary file is ``.NAME.xxxxxxxx.SUFFIX`` beside ``NAME.SUFFIX``: tempfile.mkstemp's
# 8 random characters between our prefix and suffix.
TEMP_RANDOM = r"[a-z0-9_]{8}"
STALE_TEMP_SECONDS = 10  # a live write renews its file's time as it writes; a killed one's stays


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target.

    The temporary file is removed on every way out Python sees (an error, Ctrl-C, SystemExit).
    A kill -9 or a power cut leaves it behind: the next write to the same target removes such
    leftovers (only files of exactly this target's temporary pattern, not touched for
    ``STALE_TEMP_SECONDS``, so that a write under way in another process is left alone).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    tmp_path: Path | None = None
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
        )
        tmp_path = Path(tmp)
        os.close(fd)
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes it private; a report is not
        os.replace(tmp_path, target)
    finally:
        if tmp_path is not None:
            with contextlib.suppress(OSError):  # never hide the error that brought us here
                tmp_path.unlink(missing_ok=True)


def temp_pattern(target: Path) -> re.Pattern[str]:
    """The names of ``atomic_path``'s temporary files for this target."""
    stem, suffix = re.escape(f".{target.stem}."), re.escape(target.suffix)
    return re.compile(f"{stem}{TEMP_RANDOM}{suffix}")


def remove_stale_temps(target: Path) -> None:
    """Remove temporary files of ``target`` left by a write that was killed."""
    pattern = temp_pattern(target)
    cutoff = time.time() - STALE_TEMP_SECONDS
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            if not pattern.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    with atomic_path(target) as tmp:
        write(tmp)


def write_text_atomic(target: Path, text: str, encoding: str = "utf-8") -> None:
    write_atomic(target, lambda tmp: tmp.write_text(text, encoding=encoding))


def write_sheet_xlsx(frame: pd.DataFrame, target: Path, sheet: str) -> None:
    """One plain sheet, bold frozen header, widths fitted for Chinese text."""
    write_sheets_xlsx({sheet: frame}, target)


def write_sheets_xlsx(frames: dict[str, pd.DataFrame], target: Path) -> None:
    """Plain sheets in order, each with a bold frozen header and widths fitted for Chinese."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, frame in frames.items():
        _fill_sheet(workbook.create_sheet(sheet), frame)
    write_atomic(target, lambda tmp: workbook.save(tmp))


def _fill_sheet(ws: Any, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.append([str(c) for c in frame.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for record in frame.itertuples(index=False):
        ws.append([None if pd.isna(v) else v for v in record])
    for cell in (c for row in ws.iter_rows(min_row=2) for c in row):
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
    for i, name in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, 2 * len(str(name)) + 2)
    ws.freeze_panes = "A2"


# -- plain sheets, written directly ----------------------------------------------------------
# ``write_sheets_xlsx`` goes through openpyxl (~40 µs a cell). A sheet of many thousand rows
# (import-stats' 来源: one row per school and figure) is written here as SpreadsheetML directly,
# with the same look: a bold frozen header, widths for Chinese, text always as text (an inline
# string: never a formula, whatever it starts with), numbers as numbers.
_STYLES = (
    f'{XML}<styleSheet xmlns="{MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/>'
    '</font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill>'
    '<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)


def write_plain_xlsx(frames: dict[str, pd.DataFrame], target: Path) -> None:
    """Plain sheets in order, like ``write_sheets_xlsx``, for sheets of many rows."""
    from junheng_cli.io.cells import column_letter

    names = list(frames)
    parts = package_parts(names, _STYLES)
    for n, name in enumerate(names, 1):
        parts[f"xl/worksheets/sheet{n}.xml"] = _plain_sheet(frames[name], column_letter)

    write_package(parts, target)


def _plain_cell(ref: str, value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float) or (hasattr(value, "dtype") and hasattr(value, "item")):
        number = value.item() if hasattr(value, "item") else value  # numpy scalars
        if isinstance(number, bool):
            return f'<c r="{ref}" t="b"><v>{int(number)}</v></c>'
        if isinstance(number, int) or (isinstance(number, float) and math.isfinite(number)):
            return f'<c r="{ref}"><v>{number!r}</v></c>'
        if isinstance(number, float) and math.isnan(number):
            return ""
    text = xml_text(value)
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


WIDTH_SAMPLE_ROWS = 500  # a column's width is fitted to its header and first rows
MAX_COLUMN_WIDTH = 60


def display_width(text: str) -> int:
    """Columns a text takes on screen or in a spreadsheet cell: CJK and fullwidth characters
    take two."""
    if text.isascii():  # numbers, codes: every ASCII character is narrow
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_width(name: object, values: pd.Series) -> int:
    shown = [str(name), *(str(v) for v in values.head(WIDTH_SAMPLE_ROWS) if pd.notna(v))]
    return min(MAX_COLUMN_WIDTH, max(10, max(display_width(t) for t in shown) + 2))


def _plain_sheet(frame: pd.DataFrame, letter: Callable[[int], str]) -> str:
    letters = [letter(i) for i in range(len(frame.columns))]
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{_column_width(name, frame.iloc[:, i - 1])}" '
        'customWidth="1"/>'
        for i, name in enumerate(frame.columns, 1)
    )
    header = "".join(
        f'<c r="{x}1" s="1" t="inlineStr"><is><t xml:space="preserve">{xml_text(name)}</t></is></c>'
        for x, name in zip(letters, frame.columns, strict=True)
    )
    rows = [f'<row r="1">{header}</row>']
    for r, record in enumerate(frame.itertuples(index=False, name=None), 2):
        cells = "".join(_plain_cell(f"{x}{r}", v) for x, v in zip(letters, record, strict=True))
        rows.append(f'<row r="{r}">{cells}</row>')
    last = f"{letters[-1]}{len(frame) + 1}" if letters else "A1"
    return (
        f'{XML}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><dimension ref="A1:{last}"/>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f"{f'<cols>{widths}</cols>' if widths else ''}<sheetData>{''.join(rows)}</sheetData>"
        "</worksheet>"
    )
