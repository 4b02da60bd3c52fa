"""Plain report sheets written as SpreadsheetML directly: the batch summary (a ranking of
thousands of counties) in a fraction of openpyxl's time (~40 µs a cell there), with the look
of ``common.frame_sheet``: a bold, filled, wrapped and frozen header row 66 points high,
number formats (差异系数 to four places, counts with thousands separators, other numbers
to two places), columns fitted to their values, landscape A4 one page wide with the header
row repeated on every page. Text is always an inline string: never a formula, whatever it
starts with; characters XML cannot carry are dropped."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.io.cells import column_letter
from junheng_cli.io.spreadsheetml import MAIN, RELS, XML, package_parts, write_package, xml_text
from junheng_cli.io.write import display_width

MAX_WIDTH = 50  # as common.fit_columns
HEADER_HEIGHT = 66

# cell styles (cellXfs): 0 plain, 1 header, then one per number format
_FORMATS = {"#,##0": 3, "#,##0.00": 4}  # Excel's built-in number formats
_HEADER_STYLE = 1


def write_frames(frames: dict[str, pd.DataFrame], target: Path) -> None:
    """Plain report sheets: bold frozen headers, number formats, landscape fitted to width;
    a column whose header names a 差异系数 shows four decimal places."""
    styles = _Styles()
    sheets = []
    for frame in frames.values():
        formats = {c: "0.0000" for c in frame.columns if "差异系数" in str(c)}
        sheets.append(_sheet(frame, formats, styles))
    names = list(frames)
    titles = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">'
        f"{xml_text(_quoted(name))}!$1:$1</definedName>"
        for n, name in enumerate(names)
    )
    parts = package_parts(names, styles.xml(), titles)
    parts.update({f"xl/worksheets/sheet{n}.xml": s for n, s in enumerate(sheets, 1)})
    write_package(parts, target)


class _Styles:
    """The workbook's cell styles: one per number format used."""

    def __init__(self) -> None:
        self.custom: dict[str, int] = {}  # format code → numFmtId (164 and up)
        self.xf: dict[int, int] = {}  # numFmtId → cellXfs index

    def number(self, code: str) -> int:
        fmt = _FORMATS.get(code)
        if fmt is None:
            fmt = self.custom.setdefault(code, 164 + len(self.custom))
        return self.xf.setdefault(fmt, 2 + len(self.xf))

    def xml(self) -> str:
        formats = "".join(
            f'<numFmt numFmtId="{n}" formatCode="{xml_text(code)}"/>'
            for code, n in self.custom.items()
        )
        numbers = "".join(
            f'<xf numFmtId="{n}" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/>'
            for n in self.xf
        )
        return (
            f'{XML}<styleSheet xmlns="{MAIN}">'
            + (f'<numFmts count="{len(self.custom)}">{formats}</numFmts>' if formats else "")
            + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/>'
            '<sz val="11"/><name val="Calibri"/></font></fonts><fills count="3"><fill>'
            '<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
            '</fill><fill><patternFill patternType="solid"><fgColor rgb="00DDEBF7"/>'
            '<bgColor rgb="00DDEBF7"/></patternFill></fill></fills><borders count="1"><border>'
            "<left/><right/><top/><bottom/><diagonal/></border></borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{2 + len(self.xf)}"><xf numFmtId="0" fontId="0" '
            'fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" '
            'borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment '
            f'vertical="center" wrapText="1"/></xf>{numbers}</cellXfs><cellStyles count="1">'
            '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        )


def _plain(value: Any) -> Any:
    """A cell's value as Python sees it (numpy scalars unwrapped); None when empty."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and hasattr(value, "dtype"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


class _Column:
    """One column's cells as SpreadsheetML, and its width as ``common.fit_columns`` fits it:
    a header counts at most ten characters (it wraps), a value its display width (numbers
    with four places)."""

    def __init__(self, header: object, letter: str, style: int | None, styles: _Styles) -> None:
        self.letter = letter
        self.style = style  # the column's number format, else by value
        self.whole, self.fraction = styles.number("#,##0"), styles.number("#,##0.00")
        self.width = min(10, len(str(header)))
        self._widths: dict[str, int] = {}
        self._texts: dict[str, str] = {}  # a text → as XML

    def cells(self, values: pd.Series) -> list[str]:
        if values.dtype.kind == "f" and np.isfinite(values.dropna()).all():
            return self._numbers(values)
        if values.dtype.kind in "iu":
            return self._integers(values)
        cell, text = self._cell, self._text
        return [
            text(row, value) if value.__class__ is str else cell(row, value)
            for row, value in enumerate(values.tolist(), 2)
        ]

    def _integers(self, values: pd.Series) -> list[str]:
        """A column of whole numbers: each cell just its number, as ``_cell`` writes it."""
        if values.empty:
            return []
        for extreme in (int(values.max()), int(values.min())):
            self._fit(str(extreme))
        letter = self.letter
        style = self.whole if self.style is None else self.style
        return [
            f'<c r="{letter}{row}" s="{style}"><v>{v}</v></c>'
            for row, v in enumerate(values.tolist(), 2)
        ]

    def _text(self, row: int, value: str) -> str:
        """A text cell, as ``_cell`` writes it; each distinct text made XML (and fitted)
        once (a status, a verdict or a file repeats down the column)."""
        text = self._texts.get(value)
        if text is None:
            self._fit(value)
            text = self._texts[value] = xml_text(value)
        return _inline(f"{self.letter}{row}", text)

    def _numbers(self, values: pd.Series) -> list[str]:
        """A column of finite numbers (NaN empty): the widest is the largest or the smallest
        (formatted with four places), and each cell is just its number."""
        present = values.dropna()
        if present.empty:
            return [""] * len(values)
        for extreme in (float(present.max()), float(present.min())):
            self._fit(f"{extreme:,.4f}")
        letter, whole, fraction, fixed = self.letter, self.whole, self.fraction, self.style
        cells = []
        for row, v in enumerate(values.tolist(), 2):
            if v != v:
                cells.append("")
                continue
            style = fixed if fixed is not None else whole if v.is_integer() else fraction
            cells.append(f'<c r="{letter}{row}" s="{style}"><v>{v!r}</v></c>')
        return cells

    def _cell(self, row: int, raw: Any) -> str:
        value = _plain(raw)
        if value is None:
            return ""
        self._fit(f"{value:,.4f}" if isinstance(value, float) else str(value))
        ref = f"{self.letter}{row}"
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            if isinstance(value, float) and math.isinf(value):
                return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
            style = self.style
            if style is None:
                style = self.whole if float(value).is_integer() else self.fraction
            return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
        return _inline(ref, xml_text(value))

    def _fit(self, text: str) -> None:
        width = self._widths.get(text)
        if width is None:
            width = self._widths[text] = display_width(text)
        if width > self.width:
            self.width = width

    def col(self, number: int) -> str:
        width = min(MAX_WIDTH, max(8, self.width + 2))
        return f'<col min="{number}" max="{number}" width="{width}" customWidth="1"/>'


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet(frame: pd.DataFrame, formats: dict[str, str], styles: _Styles) -> str:
    names = [str(c) for c in frame.columns]
    columns = [
        _Column(
            name,
            column_letter(i),
            styles.number(formats[name]) if name in formats else None,
            styles,
        )
        for i, name in enumerate(names)
    ]
    header = "".join(
        f'<c r="{c.letter}1" s="{_HEADER_STYLE}" t="inlineStr"><is><t xml:space="preserve">'
        f"{xml_text(name)}</t></is></c>"
        for c, name in zip(columns, names, strict=True)
    )
    cells = [c.cells(frame.iloc[:, i]) for i, c in enumerate(columns)]
    rows = [f'<row r="1" ht="{HEADER_HEIGHT}" customHeight="1">{header}</row>']
    rows += [
        f'<row r="{r}">{"".join(row)}</row>' for r, row in enumerate(zip(*cells, strict=True), 2)
    ]
    last = f"{columns[-1].letter}{len(frame) + 1}" if columns else "A1"
    cols = "".join(c.col(i) for i, c in enumerate(columns, 1))
    return (
        f'{XML}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><sheetPr><pageSetUpPr fitToPage="1"/>'
        f'</sheetPr><dimension ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}'
        f"<sheetData>{''.join(rows)}</sheetData>"
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        '<pageSetup orientation="landscape" paperSize="9" fitToHeight="0" fitToWidth="1"/>'
        "</worksheet>"
    )


def _quoted(sheet: str) -> str:
    """A sheet name as a formula names it: in single quotes, a quote doubled."""
    return "'" + sheet.replace("'", "''") + "'"
