"""Read the cells of workbooks (.xlsx/.xlsm/.xls/.ods/.csv) into plain rows.

Cells keep their type as the reader gives it (numbers stay numbers, text stays text);
interpreting them is ``compute/validate``'s job. Guards against files that are not what they
claim to be: corrupt archives, password protection, archives that expand past a limit,
sheets too large to be a county, too many sheets, a stray cell far from the table (the cell
reader allocates a sheet's whole rectangle at once: one cell at XFD50000 would ask for
26 GB). A formula whose value was never calculated is reported, never read as empty or zero.

An .xlsx sheet's XML is streamed once before any cell reader sees it: how far its cells
reach, its formulas and error values, its merged ranges and its first rows (``preview``
needs no parse of the sheet). ``io.sheet_table.columns`` reads a school sheet from there
into typed columns; ``sheet`` gives every row as Python values.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree as ElementTree  # the XML parser the parts are read with

from junheng_cli.io.calamine import calamine_message, merged_ranges, open_calamine
from junheng_cli.io.cells import Cell, Merged, ReadError, Sheet
from junheng_cli.io.csv_rows import read_csv_rows
from junheng_cli.io.limits import (
    MAX_CELLS,
    check_archive,
    check_height,
    check_sheet_count,
    check_xls_extents,
)
from junheng_cli.io.xlsx_chunks import CHUNK_PARSERS
from junheng_cli.io.xlsx_extras import FormulaCells
from junheng_cli.io.xlsx_head import head_rows
from junheng_cli.io.xlsx_head import merged_ranges as xml_merged_ranges
from junheng_cli.io.xlsx_parts import SheetXml, XlsxParts
from junheng_cli.io.xlsx_scan import MAX_TAG

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
        self._xml: dict[str, SheetXml | None] = {}
        self._pool: ThreadPoolExecutor | None = None  # parses large sheets whole, one by one
        self._chunk_pool: ThreadPoolExecutor | None = None  # and in chunks, on every core
        self._heads: dict[tuple[str, int], Sheet | None] = {}
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
        if self._pool is not None:
            for xml in self._xml.values():
                if xml is not None and xml.chunks is not None:
                    xml.chunks.stop()
            self._pool.shutdown(wait=True)
            self._pool = None
        if self._chunk_pool is not None:
            self._chunk_pool.shutdown(wait=True)
            self._chunk_pool = None
        self._xml.clear()
        if self._xlsx is not None:
            self._xlsx.close()
        if self._calamine is not None:
            with contextlib.suppress(Exception):  # already closed
                self._calamine.close()

    @property
    def is_xlsx(self) -> bool:
        return self._xlsx is not None

    def preview(self, name: str, rows: int = PREVIEW_ROWS) -> Sheet:
        """The first rows of a sheet, enough to find its header: of an .xlsx, from the one
        streaming pass over its XML; otherwise the whole sheet is parsed (and kept for
        ``sheet``)."""
        head = self.head(name)
        if head is not None:
            return Sheet(head.file, name, head.rows[:rows], head.merged)
        full = self.sheet(name)
        return Sheet(self.file, name, full.rows[:rows], full.merged)

    def head(self, name: str, width: int = 0) -> Sheet | None:
        """An .xlsx sheet's first rows (``PREVIEW_ROWS``) as the cell reader would give them,
        with its merged ranges and formula cells, rows padded to ``width`` (default: as far
        as its cells reach); None when only the cell reader can say."""
        xml = self.sheet_xml(name)
        if xml is None or not xml.scan.fits or xml.extras.head is None or name in self._sheets:
            return None  # a small sheet (the cell reader reads it at once), or an odd one
        key = (name, width or xml.scan.columns)
        if key not in self._heads:
            assert self._xlsx is not None
            rows = head_rows(xml.extras, self._xlsx, key[1])
            found = None
            if rows is not None:
                formulas = self._formulas(name, xml)
                merged = xml_merged_ranges(xml.extras.merge_refs)
                found = Sheet(self.file, name, rows, merged, formulas.uncached, formulas.errors)
            self._heads[key] = found
        return self._heads[key]

    def sheet_xml(self, name: str) -> SheetXml | None:
        """The one streaming pass over an .xlsx sheet's XML (None for other formats, or
        when the XML cannot be found)."""
        if self._xlsx is None or name not in self.sheet_names:
            return None
        if name not in self._xml:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xlsx")
                self._chunk_pool = ThreadPoolExecutor(
                    max_workers=CHUNK_PARSERS, thread_name_prefix="xlsx-chunk"
                )
            self._xml[name] = self._xlsx.read_sheet(
                name, _pieces, pool=self._pool, chunk_pool=self._chunk_pool
            )
        return self._xml[name]

    def formula_cells(self, name: str) -> FormulaCells:
        xml = self.sheet_xml(name)
        return FormulaCells() if xml is None else self._formulas(name, xml)

    def _formulas(self, name: str, xml: SheetXml) -> FormulaCells:
        if not xml.scan.formulas:
            return FormulaCells()
        if xml.extras.formulas is None:  # not read in the streaming pass: parse the XML
            assert self._xlsx is not None
            xml.extras.formulas = self._xlsx.formula_cells(name)
        return xml.extras.formulas

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
        xml = self.sheet_xml(name)
        if xml is not None and xml.scan.fits:
            rows, merged = self._calamine_rows(name)
        else:  # a cell far from the table, or cells the scan cannot place: one by one
            from junheng_cli.io.sparse import read_sparse

            rows, merged = read_sparse(self.path, name)
        formulas = self._formulas(name, xml) if xml is not None else self._xlsx.formula_cells(name)
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


def _chunks(stream: IO[bytes], size: int) -> Iterator[bytes]:
    """The stream read in chunks of ``size`` bytes; a large stream is read (and inflated,
    which releases the interpreter lock) by a second thread while this one scans what was
    read: the two cores share the work."""
    first = stream.read(size)
    if len(first) < size:
        if first:
            yield first
        return
    yield first
    ahead: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def produce() -> None:
        try:
            while not stop.is_set() and (chunk := stream.read(size)):
                ahead.put(chunk)
            ahead.put(None)
        except BaseException as exc:  # handed to the reading thread
            ahead.put(exc)

    worker = threading.Thread(target=produce, daemon=True)
    worker.start()
    try:
        while (item := ahead.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # let a blocked put finish, then the thread ends
            with contextlib.suppress(queue.Empty):
                ahead.get(timeout=0.05)
        worker.join()


def _pieces(stream: IO[bytes]) -> Iterator[tuple[bytes, int, int]]:
    """The XML in pieces of about SCAN_CHUNK bytes, as (data, start, end): data[start:end]
    holds whole tags only (it is cut before a '<'), and is not copied out of what was read."""
    carry = b""  # an unfinished tag (or text) from the end of the previous read
    for chunk in _chunks(stream, SCAN_CHUNK):
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


def scan_formula_cells(path: Path, sheet_name: str) -> FormulaCells:
    """The sheet XML is parsed only when it has a formula or an error value at all."""
    try:
        parts = XlsxParts(path)
    except (zipfile.BadZipFile, OSError):
        return FormulaCells()
    with contextlib.closing(parts):
        xml = parts.read_sheet(sheet_name, _pieces)
        if xml is None or not xml.scan.formulas:
            return FormulaCells()
        if xml.extras.formulas is None:
            return parts.formula_cells(sheet_name)
        return xml.extras.formulas
