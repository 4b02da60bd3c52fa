"""Write outputs atomically: to a temporary file beside the target, then rename."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

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
