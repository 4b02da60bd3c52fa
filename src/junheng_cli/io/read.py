"""Read the cells of workbooks (.xlsx/.xlsm/.xls/.ods/.csv) into plain rows.

Cells keep their type as the reader gives it (numbers stay numbers, text stays text);
interpreting them is ``compute/validate``'s job. Guards against files that are not what they
claim to be: corrupt archives, password protection, archives that expand past a limit,
sheets too large to be a county, too many sheets, a stray cell far from the table (the cell
reader allocates a sheet's whole rectangle at once: one cell at XFD50000 would ask for
26 GB). A formula whose value was never calculated is reported, never read as empty or zero.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from junheng_cli.io.calamine import calamine_message, merged_ranges, open_calamine
from junheng_cli.io.cells import Cell, Merged, ReadError, Sheet, column_index
from junheng_cli.io.csv_rows import read_csv_rows
from junheng_cli.io.limits import (
    MAX_CELLS,
    check_archive,
    check_height,
    check_sheet_count,
    check_xls_extents,
)
from junheng_cli.io.xlsx_scan import MAX_TAG, SheetScan

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
CSV_SUFFIXES = (".csv", ".txt")


XLSX_SUFFIXES = (".xlsx", ".xlsm")


PREVIEW_ROWS = 40
SCAN_CHUNK = 1 << 22  # bytes of sheet XML looked at at once (formulas, how far cells reach)


class Workbook:
    """An opened workbook; sheets are read on demand. Close it (or use ``with``) to release
    the file at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = str(path)
        self._csv_rows: list[list[Cell]] | None = None
        self._calamine: Any = None
        self._xlsx: XlsxParts | None = None
        self._sheets: dict[str, Sheet] = {}
        suffix = path.suffix.lower()
        if suffix in CSV_SUFFIXES:
            self._csv_rows = read_csv_rows(path)
            self.sheet_names = [path.stem]
            return
        try:
            self.sheet_names = self._open_excel(suffix)
        except BaseException:
            self.close()
            raise

    def _open_excel(self, suffix: str) -> list[str]:
        """The worksheets' names. Sheet counts and .xls cell records are checked first: the
        cell reader lays out every sheet of an .xls as soon as it opens it."""
        from python_calamine import SheetTypeEnum

        if suffix in XLSX_SUFFIXES:
            self._xlsx = XlsxParts(self.path)
            check_sheet_count(len(self._xlsx.parts), self.file)
        if suffix == ".xls":
            check_xls_extents(self.path)
        self._calamine = open_calamine(self.path)
        names = [
            m.name for m in self._calamine.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet
        ] or list(self._calamine.sheet_names)
        check_sheet_count(len(names), self.file)
        return names

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._xlsx is not None:
            self._xlsx.close()
        if self._calamine is not None:
            with contextlib.suppress(Exception):  # already closed
                self._calamine.close()

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
            check_height(len(self._csv_rows), self.file, name)
            return Sheet(self.file, name, self._csv_rows)
        if name not in self.sheet_names:
            names = "、".join(self.sheet_names)
            raise ReadError(f"没有名为 {name!r} 的工作表；工作表有：{names}", self.file)
        if self._xlsx is None:
            return Sheet(self.file, name, *self._calamine_rows(name))
        scan = self._xlsx.scan(name)
        if scan is not None and scan.fits:
            rows, merged = self._calamine_rows(name)
        else:  # a cell far from the table, or cells the scan cannot place: one by one
            from junheng_cli.io.sparse import read_sparse

            rows, merged = read_sparse(self.path, name)
        formulas = FormulaCells()
        if scan is None or scan.formulas:
            formulas = self._xlsx.formula_cells(name)
        return Sheet(self.file, name, rows, merged, formulas.uncached, formulas.errors)

    def _calamine_rows(self, name: str) -> tuple[list[list[Cell]], list[Merged]]:
        try:
            sheet = self._calamine.get_sheet_by_name(name)
        except Exception as exc:
            raise ReadError(calamine_message(exc), self.file, name) from exc
        check_height(sheet.height, self.file, name)
        if sheet.height * sheet.width > MAX_CELLS:  # .ods: the reader's own limit is higher
            size = f"{sheet.height:,} 行 × {sheet.width:,} 列"
            message = (
                f"工作表有 {size}，超过上限 {MAX_CELLS:,} 个单元格：请删除表格以外远处的内容后重试"
            )
            raise ReadError(message, self.file, name)
        try:
            rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
        except Exception as exc:  # calamine raises several unrelated types
            raise ReadError(calamine_message(exc), self.file, name) from exc
        return rows, merged_ranges(sheet)


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
        check_archive(path)
    return Workbook(path)


# -- the parts of an .xlsx --------------------------------------------------------------------
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


class XlsxParts:
    """An .xlsx/.xlsm opened once for all its sheets: the XML part of each sheet, found from
    workbook.xml once (not once per sheet: a workbook of many sheets is read in linear time)."""

    def __init__(self, path: Path) -> None:
        self.archive = zipfile.ZipFile(path)
        try:
            self.parts = _sheet_parts(self.archive)
        except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, ValueError):
            self.parts = {}

    def close(self) -> None:
        self.archive.close()

    def scan(self, sheet: str, exact: bool = False) -> SheetScan | None:
        """How far the sheet's cells reach and whether it has formulas, in one streaming
        pass; None when the sheet's XML cannot be found or read."""
        part = self.parts.get(sheet)
        if part is None:
            return None
        scan = SheetScan(exact)
        try:
            with self.archive.open(part) as stream:
                for data, begin, end in _pieces(stream):
                    scan.feed(data, begin, end)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
            return None
        if not scan.fits and not exact and not scan.exact:
            return self.scan(sheet, exact=True)  # bounds from a quick check: count exactly
        return scan

    def formula_cells(self, sheet: str) -> FormulaCells:
        """The sheet XML is streamed, never held whole (it is hundreds of MB for a national
        file)."""
        found = FormulaCells()
        part = self.parts.get(sheet)
        if part is None:
            return found
        try:
            with self.archive.open(part) as stream:
                for cell, error in _unusable_cells(stream):
                    if error is None:
                        found.uncached.add(cell)
                    else:
                        found.errors[cell] = error
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, EOFError):
            return FormulaCells()
        return found


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part, through the package's relationships."""
    book = _office_document(archive)
    folder, name = posixpath.split(book)
    workbook = ElementTree.fromstring(archive.read(book))
    rels = ElementTree.fromstring(archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))
    targets = {
        r.get("Id"): r.get("Target", "") for r in rels.iter() if _local(r.tag) == "Relationship"
    }
    parts: dict[str, str] = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rid, "")
        if target:
            parts[sheet.get("name", "")] = _resolve(folder, target)
    return parts


def _office_document(archive: zipfile.ZipFile) -> str:
    try:
        rels = ElementTree.fromstring(archive.read("_rels/.rels"))
    except KeyError:
        return "xl/workbook.xml"
    for rel in rels.iter():
        if _local(rel.tag) == "Relationship" and rel.get("Type", "").endswith("/officeDocument"):
            return _resolve("", rel.get("Target", ""))
    return "xl/workbook.xml"


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _pieces(stream: IO[bytes]) -> Iterator[tuple[bytes, int, int]]:
    """The XML in pieces of about SCAN_CHUNK bytes, as (data, start, end): data[start:end]
    holds whole tags only (it is cut before a '<'), and is not copied out of what was read."""
    carry = b""  # an unfinished tag (or text) from the end of the previous read
    while chunk := stream.read(SCAN_CHUNK):
        first = chunk.find(b"<")
        if first == -1:  # text only: it belongs to what came before
            carry += chunk
        else:
            if carry or first:
                seam = carry + chunk[:first]
                yield seam, 0, len(seam)
            cut = chunk.rfind(b"<", first)
            if cut > first:
                yield chunk, first, cut
            carry = chunk[cut:]
        if len(carry) >= MAX_TAG:  # a long text, not a tag: nothing in it to wait for
            yield carry, 0, len(carry)
            carry = b""
    if carry:
        yield carry, 0, len(carry)


# -- formulas without a cached value (xlsx) ----------------------------------------------
@dataclass
class FormulaCells:
    """Cells (row, col), 0-based, whose stored value cannot be used: a formula that was never
    calculated, or a cell whose value is an error such as #DIV/0! (the reader gives both as
    empty)."""

    uncached: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


def scan_formula_cells(path: Path, sheet_name: str) -> FormulaCells:
    """The sheet XML is parsed only when it has a formula or an error value at all."""
    try:
        parts = XlsxParts(path)
    except (zipfile.BadZipFile, OSError):
        return FormulaCells()
    with contextlib.closing(parts):
        scan = parts.scan(sheet_name)
        if scan is None or not scan.formulas:
            return FormulaCells()
        return parts.formula_cells(sheet_name)


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
