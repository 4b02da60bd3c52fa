"""Write the ten-year workbooks of ``generate.py huge`` as Excel writes a workbook (shared
strings, one sheet per year), straight to XML: openpyxl would take most of an hour for two
million rows.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from junheng_cli.io.cells import column_letter
from junheng_cli.io.spreadsheetml import package_parts

FIRST_YEAR = 2017
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"><fonts count="1"><font/>'
    '</fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="1"><xf/></cellXfs>'
    "</styleSheet>"
)


def one_year(base: pd.DataFrame, year: int) -> pd.DataFrame:
    """The country in ``year``: pupils and books drift a little from year to year, codes carry
    the year (a batch checks codes across the whole run), the county column names the year."""
    frame = base.copy()
    drift = 1 + 0.01 * (year - FIRST_YEAR - 4)
    for column in frame.columns:
        if "在校生数" in column or "图书" in column:
            frame[column] = (frame[column] * drift).round()
    frame["学校标识码"] = f"{year}" + frame["学校标识码"].astype(str)
    frame["县"] = frame["县"] + f"（{year}年）"
    return frame[["县", *[c for c in base.columns if c != "县"]]]


def write_years(base: pd.DataFrame, years: float, path: Path) -> int:
    """Sheets 2017年, 2018年 … for ``years`` years (a fraction: the first part of the last
    year); the number of school rows written."""
    strings: dict[str, int] = {}
    sheets: list[tuple[str, pd.DataFrame]] = []
    whole = int(years)
    for k in range(whole + (years > whole)):
        frame = one_year(base, FIRST_YEAR + k)
        if k == whole:
            frame = frame.iloc[: int(len(frame) * (years - whole))]
        sheets.append((f"{FIRST_YEAR + k}年", frame))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for i, (_, frame) in enumerate(sheets, 1):
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as out:
                _write_sheet(out, frame, strings)
        archive.writestr("xl/sharedStrings.xml", _shared(strings))
        _write_package(archive, [name for name, _ in sheets])
    return sum(len(frame) for _, frame in sheets)


def _write_sheet(out: IO[bytes], frame: pd.DataFrame, strings: dict[str, int]) -> None:
    out.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'.encode())
    numbers = np.arange(2, len(frame) + 2).astype(str)
    header = "".join(
        f'<c r="{column_letter(j)}1" t="s"><v>{_index(strings, h)}</v></c>'
        for j, h in enumerate(frame.columns)
    )
    out.write(f'<row r="1">{header}</row>'.encode())
    for record in frame.select_dtypes(exclude="number").itertuples(index=False):
        for text in record:  # shared strings numbered as Excel numbers them: row by row
            _index(strings, str(text))
    cells = [
        _column_cells(frame[c], column_letter(j), numbers, strings) for j, c in enumerate(frame)
    ]
    step = 20_000
    for start in range(0, len(frame), step):
        stop = min(start + step, len(frame))
        parts = [
            f'<row r="{numbers[r]}">' + "".join(col[r] for col in cells) + "</row>"
            for r in range(start, stop)
        ]
        out.write("".join(parts).encode())
    out.write(b"</sheetData></worksheet>")


def _column_cells(
    values: pd.Series, letter: str, numbers: np.ndarray, strings: dict[str, int]
) -> list[str]:
    refs = pd.Series(numbers).radd(f'<c r="{letter}')
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        index = values.astype(str).map(lambda v: _index(strings, v)).astype(str)
        cells = refs + '" t="s"><v>' + index.to_numpy() + "</v></c>"
        return cells.tolist()
    present = values.notna().to_numpy()
    text = pd.Series(values.to_numpy(dtype=float)).map(repr).str.removesuffix(".0")
    cells = (refs + '"><v>' + text + "</v></c>").where(present, "")
    return cells.tolist()


def _index(strings: dict[str, int], text: str) -> int:
    found = strings.get(text)
    if found is None:
        found = strings[text] = len(strings)
    return found


def _shared(strings: dict[str, int]) -> str:
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{NS}" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )


def _write_package(archive: zipfile.ZipFile, names: list[str]) -> None:
    for part, text in package_parts(names, _STYLES, shared_strings=True).items():
        archive.writestr(part, text)
