"""Read the cells of workbooks (.xlsx/.xlsm/.xls/.ods/.csv) into plain rows.

Cells keep their type as the reader gives it (numbers stay numbers, text stays text);
interpreting them is the schema layer's job. Guards against files that are not what they
claim to be: corrupt archives, password protection, archives that expand past a limit,
sheets too large to be a county. A formula whose value was never calculated is reported,
never read as empty or zero.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
CSV_SUFFIXES = (".csv", ".txt")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ROWS = 1_000_000
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
PREVIEW_ROWS = 40
SCAN_CHUNK = 1 << 22  # bytes of sheet XML looked at at once for formulas

Cell = Any
Merged = tuple[tuple[int, int], tuple[int, int]]  # ((first row, first col), (last row, last col))


class ReadError(Exception):
    """The file cannot be read. The message is for the user (Chinese)."""

    def __init__(self, message: str, file: str, sheet: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.sheet = sheet

    def __str__(self) -> str:
        where = self.file if self.sheet is None else f"{self.file}［{self.sheet}］"
        return f"{where}：{self.message}"


@dataclass
class Sheet:
    """The cells of one sheet from A1, row by row (0-based indices throughout)."""

    file: str
    name: str
    rows: list[list[Cell]]
    merged: list[Merged] = field(default_factory=list)
    uncached_formulas: set[tuple[int, int]] = field(default_factory=set)
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # cell → #DIV/0! …


class Workbook:
    """An opened workbook; sheets are read on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = str(path)
        self._csv_rows: list[list[Cell]] | None = None
        self._calamine: Any = None
        self._sheets: dict[str, Sheet] = {}
        suffix = path.suffix.lower()
        if suffix in CSV_SUFFIXES:
            self._csv_rows = _read_csv_rows(path)
            self.sheet_names = [path.stem]
        else:
            from python_calamine import SheetTypeEnum

            self._calamine = _open_calamine(path)
            self.sheet_names = [
                m.name for m in self._calamine.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet
            ] or list(self._calamine.sheet_names)

    def preview(self, name: str, rows: int = PREVIEW_ROWS) -> Sheet:
        """The first rows of a sheet, enough to find its header. The whole sheet is parsed
        (calamine parses a sheet at once) and kept for ``sheet``."""
        full = self.sheet(name)
        return Sheet(self.file, name, full.rows[:rows], full.merged)

    def sheet(self, name: str) -> Sheet:
        if name not in self._sheets:
            self._sheets[name] = self._read_sheet(name)
        return self._sheets[name]

    def _read_sheet(self, name: str) -> Sheet:
        if self._csv_rows is not None:
            _check_height(len(self._csv_rows), self.file, name)
            return Sheet(self.file, name, self._csv_rows)
        sheet = self._calamine_sheet(name)
        _check_height(sheet.height, self.file, name)
        try:
            rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
        except Exception as exc:  # calamine raises several unrelated types
            raise ReadError(f"无法读取工作表：{exc}", self.file, name) from exc
        formulas = FormulaCells()
        if self.path.suffix.lower() in (".xlsx", ".xlsm"):
            formulas = scan_formula_cells(self.path, name)
        return Sheet(self.file, name, rows, _merged(sheet), formulas.uncached, formulas.errors)

    def _calamine_sheet(self, name: str) -> Any:
        if name not in self.sheet_names:
            names = "、".join(self.sheet_names)
            raise ReadError(f"没有名为 {name!r} 的工作表；工作表有：{names}", self.file)
        try:
            return self._calamine.get_sheet_by_name(name)
        except Exception as exc:
            raise ReadError(f"无法读取工作表：{exc}", self.file, name) from exc


def open_workbook(path: Path) -> Workbook:
    if not path.exists():
        raise ReadError("文件不存在", str(path))
    if path.is_dir():
        raise ReadError("这是一个文件夹，不是工作簿", str(path))
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES + CSV_SUFFIXES:
        raise ReadError(
            f"不支持的文件类型 {path.suffix or '（无扩展名）'}；支持 .xlsx .xlsm .xls .ods .csv",
            str(path),
        )
    if path.stat().st_size == 0:
        raise ReadError("文件是空的（0 字节）", str(path))
    if suffix in ZIP_SUFFIXES:
        _check_archive(path)
    return Workbook(path)


def _check_archive(path: Path) -> None:
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic == OLE_MAGIC:
        raise ReadError(
            "工作簿有密码保护（或是改了扩展名的旧版 .xls 文件）：请在 Excel 中取消密码，"
            "另存为 .xlsx 后重试",
            str(path),
        )
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ReadError("文件已损坏或并非 Excel 工作簿（无法解压）", str(path)) from exc
    if expanded > MAX_UNCOMPRESSED_BYTES:
        raise ReadError(
            f"工作簿解压后达 {expanded / 1024**3:.1f} GB，超过上限 "
            f"{MAX_UNCOMPRESSED_BYTES / 1024**3:.0f} GB，不像是一个县的学校数据",
            str(path),
        )


def _open_calamine(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for bad files
        kind = type(exc).__name__
        if "Password" in kind:
            raise ReadError("工作簿有密码保护：请在 Excel 中取消密码后另存再试", str(path)) from exc
        raise ReadError(f"文件已损坏或并非 Excel 工作簿（{_short(exc)}）", str(path)) from exc


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def _check_height(height: int, file: str, sheet: str) -> None:
    if height > MAX_ROWS:
        raise ReadError(
            f"工作表有 {height:,} 行，超过上限 {MAX_ROWS:,} 行，不像是一个县的学校数据", file, sheet
        )


def _merged(sheet: Any) -> list[Merged]:
    try:
        ranges = sheet.merged_cell_ranges
    except Exception:  # not every format reports merged cells
        return []
    return [((a, b), (c, d)) for (a, b), (c, d) in ranges or []]


def _read_csv_rows(path: Path) -> list[list[Cell]]:
    raw = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        return [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    raise ReadError("无法识别 CSV 的文字编码（支持 UTF-8、GBK/GB18030）", str(path))


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


# -- formulas without a cached value (xlsx) ----------------------------------------------
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


@dataclass
class FormulaCells:
    """Cells (row, col), 0-based, whose stored value cannot be used: a formula that was never
    calculated, or a cell whose value is an error such as #DIV/0! (the reader gives both as
    empty)."""

    uncached: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


def scan_formula_cells(path: Path, sheet_name: str) -> FormulaCells:
    """The sheet's XML is streamed, never held whole (it is hundreds of MB for a national
    file), and parsed only when it has a formula or an error value at all."""
    found = FormulaCells()
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet_name)
            if part is None or not _mentions_formulas(archive, part):
                return found
            with archive.open(part) as stream:
                for cell, error in _unusable_cells(stream):
                    if error is None:
                        found.uncached.add(cell)
                    else:
                        found.errors[cell] = error
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return FormulaCells()
    return found


_MARKERS = (b"<f", b":f", b't="e"')


def _mentions_formulas(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether the sheet XML has a formula element or an error value (most sheets have none)."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(SCAN_CHUNK):
            window = tail + chunk[:8]
            if any(m in chunk or m in window for m in _MARKERS):
                return True
            tail = chunk[-8:]
    return False


def _unusable_cells(stream: IO[bytes]) -> Iterator[tuple[tuple[int, int], str | None]]:
    """(cell, None) for a formula without a stored value; (cell, '#DIV/0!') for an error."""
    main = f"{{{_NS['m']}}}"
    for _, element in ElementTree.iterparse(stream):
        if element.tag != f"{main}c":
            continue
        formula = element.find(f"{main}f")
        value = element.find(f"{main}v")
        text = "" if value is None else (value.text or "").strip()
        is_error = element.get("t") == "e"
        if is_error or (formula is not None and not text):
            match = _CELL_REF.fullmatch(element.get("r", ""))
            if match:
                cell = (int(match.group(2)) - 1, column_index(match.group(1)))
                yield cell, (text or "#VALUE!") if is_error else None
        element.clear()


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
        if sheet.get("name") == sheet_name:
            target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None
