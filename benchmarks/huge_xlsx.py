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

FIRST_YEAR = 2017
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"


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


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _write_sheet(out: IO[bytes], frame: pd.DataFrame, strings: dict[str, int]) -> None:
    out.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'.encode())
    numbers = np.arange(2, len(frame) + 2).astype(str)
    header = "".join(
        f'<c r="{_letters(j)}1" t="s"><v>{_index(strings, h)}</v></c>'
        for j, h in enumerate(frame.columns)
    )
    out.write(f'<row r="1">{header}</row>'.encode())
    for record in frame.select_dtypes(exclude="number").itertuples(index=False):
        for text in record:  # shared strings numbered as Excel numbers them: row by row
            _index(strings, str(text))
    cells = [_column_cells(frame[c], _letters(j), numbers, strings) for j, c in enumerate(frame)]
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
    sheets = "".join(
        f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1)
    )
    archive.writestr(
        "xl/workbook.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{REL}">'
        f"<sheets>{sheets}</sheets></workbook>",
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    n = len(names)
    rels += f'<Relationship Id="rId{n + 1}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    rels += f'<Relationship Id="rId{n + 2}" Type="{REL}/styles" Target="styles.xml"/>'
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">{rels}'
        "</Relationships>",
    )
    archive.writestr(
        "xl/styles.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"><fonts count="1"><font/>'
        '</fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="1"><xf/></cellXfs>'
        "</styleSheet>",
    )
    archive.writestr(
        "_rels/.rels",
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship '
        f'Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{TYPES}.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    archive.writestr(
        "[Content_Types].xml",
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
        f'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.'
        f'main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="{TYPES}.'
        f'sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="{TYPES}.styles+'
        f'xml"/>{overrides}</Types>',
    )
