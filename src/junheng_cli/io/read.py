"""Read the cells of workbooks (.xlsx/.xlsm/.xls/.ods/.csv) into plain rows.

Cells keep their type as the reader gives it (numbers stay numbers, text stays text);
interpreting them is the schema layer's job. Guards against files that are not what they
claim to be: corrupt archives, password protection, archives that expand past a limit,
sheets too large to be a county, too many sheets, a stray cell far from the table (the cell
reader allocates a sheet's whole rectangle at once: one cell at XFD50000 would ask for
26 GB). A formula whose value was never calculated is reported, never read as empty or zero.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from junheng_cli.errors import JunhengError
from junheng_cli.io.xls_extent import Extent, sheet_extents

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
CSV_SUFFIXES = (".csv", ".txt")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_SUFFIXES = (".xlsx", ".xlsm")
MAX_ROWS = 1_000_000
# Rows × columns of a sheet's rectangle, from A1 to its last row and column. A national
# file (207,200 schools × 34 columns) is 7 million; the cell reader holds 32 bytes a cell.
MAX_CELLS = 20_000_000
MAX_SHEETS = 1_000
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
CSV_FIELD_LIMIT = 131_072  # characters in one CSV field (Excel holds at most 32,767 in a cell)
PREVIEW_ROWS = 40
SCAN_CHUNK = 1 << 22  # bytes of sheet XML looked at at once (formulas, how far cells reach)
MAX_TAG = 1 << 16  # a piece of sheet XML is cut before a '<' found in its last this many bytes

Cell = Any
Merged = tuple[tuple[int, int], tuple[int, int]]  # ((first row, first col), (last row, last col))


class ReadError(JunhengError):
    """The file cannot be read. The message is for the user (Chinese)."""

    def __init__(self, message: str, file: str, sheet: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.sheet = sheet

    def __str__(self) -> str:
        where = self.file if self.sheet is None else f"{self.file}［{self.sheet}］"
        return f"{where}：{self.message}"

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str, str | None]]:
        # returned by batch's worker processes: pickled with all three arguments
        return (ReadError, (self.message, self.file, self.sheet))


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
            self._csv_rows = _read_csv_rows(path)
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
            _check_sheet_count(len(self._xlsx.parts), self.file)
        if suffix == ".xls":
            _check_xls_extents(self.path)
        self._calamine = _open_calamine(self.path)
        names = [
            m.name for m in self._calamine.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet
        ] or list(self._calamine.sheet_names)
        _check_sheet_count(len(names), self.file)
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
            _check_height(len(self._csv_rows), self.file, name)
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
            raise ReadError(_calamine_message(exc), self.file, name) from exc
        _check_height(sheet.height, self.file, name)
        if sheet.height * sheet.width > MAX_CELLS:  # .ods: the reader's own limit is higher
            size = f"{sheet.height:,} 行 × {sheet.width:,} 列"
            message = (
                f"工作表有 {size}，超过上限 {MAX_CELLS:,} 个单元格：请删除表格以外远处的内容后重试"
            )
            raise ReadError(message, self.file, name)
        try:
            rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
        except Exception as exc:  # calamine raises several unrelated types
            raise ReadError(_calamine_message(exc), self.file, name) from exc
        return rows, _merged(sheet)


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


def _check_xls_extents(path: Path) -> None:
    extents = sheet_extents(path) or []
    _check_sheet_count(len(extents), str(path))
    for extent in extents:
        if extent.cells > MAX_CELLS:
            raise ReadError(_far_xls_cells(extent), str(path), extent.sheet)


def _far_xls_cells(extent: Extent) -> str:
    cells = [extent.right] if extent.right == extent.down else [extent.right, extent.down]
    named = "、".join(f"{column_letter(c)}{r + 1}" for r, c in cells)
    return (
        f"单元格 {named} 使工作表的范围达 {extent.rows:,} 行 × {extent.columns:,} 列"
        f"（{extent.cells:,} 个单元格，超过上限 {MAX_CELLS:,}；.xls 最多 256 列）："
        "文件可能已损坏；请在 Excel 或 WPS 中打开，删除远处的内容，另存为 .xlsx 后重试"
    )


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


def _check_sheet_count(count: int, file: str) -> None:
    if count > MAX_SHEETS:
        raise ReadError(
            f"工作簿有 {count:,} 个工作表，超过上限 {MAX_SHEETS:,} 个，不像是一个县的学校数据；"
            "请另存一份只含学校数据工作表的工作簿后重试",
            file,
        )


def _open_calamine(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for bad files
        kind = type(exc).__name__
        if "Password" in kind:
            raise ReadError("工作簿有密码保护：请在 Excel 中取消密码后另存再试", str(path)) from exc
        if _CELL_LIMIT.search(str(exc)):  # .ods: its sheets are laid out when it is opened
            raise ReadError(_calamine_message(exc), str(path)) from exc
        raise ReadError(f"文件已损坏或并非 Excel 工作簿（{_short(exc)}）", str(path)) from exc


_CELL_LIMIT = re.compile(r"Cell limit exceeded \((\d+) cells requested")


def _calamine_message(exc: Exception) -> str:
    """The reader's own refusal of a sheet too large (.ods: repeated rows and columns) in
    Chinese; anything else as it says."""
    match = _CELL_LIMIT.search(str(exc))
    if match:
        return (
            f"工作表的范围达 {int(match.group(1)):,} 个单元格，超过上限 {MAX_CELLS:,}："
            "远离表格的单元格（或整行、整列重复的单元格）有内容；请删除表格以外的内容后重试"
        )
    return f"无法读取工作表：{_short(exc)}"


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
        rows = _parse_csv(text, dialect, str(path))
        _check_csv_size(rows, str(path))
        return rows
    raise ReadError("无法识别 CSV 的文字编码（支持 UTF-8、GBK/GB18030）", str(path))


def _parse_csv(text: str, dialect: type[csv.Dialect] | csv.Dialect, file: str) -> list[list[Cell]]:
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)  # the limit is the csv module's global
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        return [list(r) for r in reader]
    except csv.Error as exc:
        raise ReadError(_csv_message(exc, reader.line_num), file) from exc
    finally:
        csv.field_size_limit(previous)


def _csv_message(exc: csv.Error, line: int) -> str:
    if "field larger than field limit" in str(exc):
        return (
            f"第 {line:,} 行附近有一个超过 {CSV_FIELD_LIMIT:,} 个字符的字段（Excel 的一个单元格"
            "最多 32,767 个字符）：多半是某处引号没有配对，把后面的内容都读成了一个单元格；"
            "请在 Excel 或 WPS 中打开检查，另存为 .xlsx 后重试"
        )
    return f"第 {line:,} 行无法按 CSV 读取（{exc}）：请在 Excel 或 WPS 中打开，另存为 .xlsx 后重试"


def _check_csv_size(rows: list[list[Cell]], file: str) -> None:
    width = max(map(len, rows), default=0)
    if len(rows) * width > MAX_CELLS:
        raise ReadError(
            f"CSV 有 {len(rows):,} 行、最宽的一行 {width:,} 列，共 {len(rows) * width:,} 个单元格，"
            f"超过上限 {MAX_CELLS:,}，不像是一个县的学校数据",
            file,
        )


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


# -- how far a sheet's cells reach (xlsx) -----------------------------------------------------
_MARKERS = (b"<f", b't="e"')  # a formula element; an error value (a prefixed <x:f: below)
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")


class SheetScan:
    """How far a sheet's cells reach, read from the cell references (``<c r="XFD50000">``)
    of its XML before the cell reader allocates the sheet's rectangle; and whether the sheet
    has formulas or error values.

    Each piece of XML is checked at C speed for a cell beyond the columns seen so far, or in
    a row beyond what those columns leave under MAX_CELLS; the bounds then rest on what was
    checked. Only the first piece and a piece with such a cell are read cell by cell (exact
    bounds). A cell whose position is not its leading ``r`` attribute (none, another
    order, another namespace prefix) makes the sheet *irregular*: its cells are then read
    one by one, never handed to the fast reader."""

    def __init__(self, exact: bool = False) -> None:
        self.exact_only = exact
        self.formulas = False
        self.irregular = False
        self.prefix: bytes | None = None  # the worksheet's namespace prefix, once seen
        self.rows = self.columns = 0  # last row and column of the cells read one by one
        self.row_cap = self.column_cap = 0  # what the quick check leaves possible

    @property
    def exact(self) -> bool:
        return self.row_cap <= self.rows and self.column_cap <= self.columns

    @property
    def cells(self) -> int:
        return max(self.rows, self.row_cap) * max(self.columns, self.column_cap)

    @property
    def fits(self) -> bool:
        return not self.irregular and self.cells <= MAX_CELLS

    def feed(self, data: bytes, start: int, end: int) -> None:
        if self.prefix is None:
            root = _ROOT.search(data, start, end)
            if root is not None:
                self.prefix = root.group(1) or b""
        patterns = _cell_patterns(self.prefix or b"")
        if not self.formulas:
            self.formulas = any(data.find(m, start, end) != -1 for m in _MARKERS)
        self._colons(patterns, data, start, end)
        if self.exact_only:
            self._count(patterns, data, start, end)
            return
        while self.columns == 0 and start < end and not self.irregular:
            # no column seen yet: the next few cells are counted one by one
            cut = data.find(b"<", min(start + MAX_TAG, end), end)
            cut = end if cut == -1 else cut
            self._count(patterns, data, start, cut)
            start = cut
        if start >= end or self.irregular:
            return
        beyond, row_cap = _beyond(self.prefix or b"", self.columns, MAX_CELLS)
        if beyond.search(data, start, end):
            self._count(patterns, data, start, end)
        else:
            self.row_cap = max(self.row_cap, row_cap)
            self.column_cap = max(self.column_cap, self.columns)

    def _colons(self, patterns: _CellPatterns, data: bytes, start: int, end: int) -> None:
        """A prefixed formula (<x:f>), or a cell under a prefix not the worksheet's."""
        found = patterns.colon.search(data, start, end)
        if found is not None and found.group(1) is None:  # a formula: cells may follow
            self.formulas = True
            found = patterns.foreign.search(data, found.end(), end)
        if found is not None:
            self.irregular = True

    def _count(self, patterns: _CellPatterns, data: bytes, start: int, end: int) -> None:
        """Every cell of the piece, by its reference."""
        if self.irregular or patterns.irregular.search(data, start, end):
            self.irregular = True
            return
        letters = set(patterns.columns.findall(data, start, end))
        if letters:
            last = max(column_index(c.decode().upper()) + 1 for c in letters)
            self.columns = max(self.columns, last)
        digits = set(patterns.rows.findall(data, start, end))
        if digits:
            self.rows = max(self.rows, *map(int, digits))


@dataclass(frozen=True)
class _CellPatterns:
    colon: re.Pattern[bytes]  # a foreign cell (group 1) or a prefixed formula element
    foreign: re.Pattern[bytes]  # a cell element under a prefix not the worksheet's
    irregular: re.Pattern[bytes]  # a cell element without a leading r attribute
    columns: re.Pattern[bytes]  # the column letters of each cell
    rows: re.Pattern[bytes]  # the row number of each cell


def _cell_tag(prefix: bytes) -> bytes:
    return rb"<(?:" + re.escape(prefix) + rb":)?c" if prefix else rb"<c"


@functools.lru_cache(maxsize=16)
def _cell_patterns(prefix: bytes) -> _CellPatterns:
    tag = _cell_tag(prefix)
    # the worksheet's own cells, opening or closing, are not foreign
    own = b"(?<!<%s:c.)(?<!/%s:c.)" % (re.escape(prefix), re.escape(prefix)) if prefix else b""
    return _CellPatterns(
        colon=re.compile(rb":(?:(c)[\s/>]" + own + rb"|f)"),
        foreign=re.compile(rb":c[\s/>]" + own),
        irregular=re.compile(tag + rb'(?! r=")[\s/>]'),
        columns=re.compile(tag + rb' r="([A-Za-z]+)'),
        rows=re.compile(tag + rb' r="[A-Za-z]+(\d+)'),
    )


@functools.lru_cache(maxsize=64)
def _beyond(prefix: bytes, columns: int, limit: int) -> tuple[re.Pattern[bytes], int]:
    """A cell that is not plainly inside: without a leading r attribute, past ``columns``,
    or in a row that ``limit`` may not leave for that many columns; and the last row a cell
    not matched can be in. Rows are compared by their digit count and first digit only (a
    cell up to twice as far as needed is matched, and its piece then counted exactly). One
    negative look-ahead per cell, the commonest shapes tried first: the cheapest test the
    regex engine offers (about 60 ns a cell)."""
    allowed = str(max(limit // columns, 1))
    first, digits = int(allowed[0]), len(allowed)
    rows = [b'\\d{1,%d}+"' % (digits - 1)] if digits > 1 else []
    if first > 1:
        rows.append(b'[0-%d]\\d{%d}"' % (first - 1, digits - 1))
    inside = rb' r="(?:' + _columns_up_to(columns) + rb")(?:" + (b"|".join(rows) or b"(?!)") + b")"
    pattern = _cell_tag(prefix) + rb"(?!" + inside + rb")[\s/>]"
    return re.compile(pattern), first * 10 ** (digits - 1) - 1


def _columns_up_to(columns: int) -> bytes:
    """Column letters (either case) of the first ``columns`` columns, the shortest first."""
    letters = column_letter(columns - 1).encode()
    same = [b"[%c%c]" % (c, c + 32) for c in letters]
    below = [
        b"".join(same[:i]) + b"[A-%ca-%c]" % (c - 1, c + 31) + b"[A-Za-z]" * (len(letters) - i - 1)
        for i, c in enumerate(letters)
        if c != ord("A")
    ]
    shorter = [b"[A-Za-z]{1,%d}" % (len(letters) - 1)] if len(letters) > 1 else []
    return b"|".join([*shorter, *below, b"".join(same)])


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
