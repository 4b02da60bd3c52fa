"""The parts of an .xlsx: each sheet's XML found once from workbook.xml, streamed once for how
far its cells reach, its formulas, merged ranges and first rows; the shared strings and the
styles, read only as far as the first rows need them.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from junheng_cli.io.cells import column_index
from junheng_cli.io.xlsx_chunks import MIN_SHEET_BYTES, Chunks, Opened
from junheng_cli.io.xlsx_extras import FormulaCells, SheetExtras
from junheng_cli.io.xlsx_quick import has_markers
from junheng_cli.io.xlsx_scan import SheetScan
from junheng_cli.io.xlsx_shared import SharedStrings

# Sheets smaller than this (about a thousand rows) are read by the cell reader: for them its
# rows cost less than opening the sheet once more as Arrow columns. Only larger sheets get the
# quick check of each piece (``xlsx_quick``: it needs Arrow, not imported for small files).
ARROW_MIN_BYTES = 1 << 20
# Shared strings past this size are not copied into every chunk (each chunk would parse them
# again): such a workbook's large sheets are parsed whole, one while the next is streamed.
MAX_SHARED_BYTES = 1 << 20

Pieces = Callable[[IO[bytes]], Iterator[tuple[bytes, int, int]]]
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class SheetXml:
    """One pass over a sheet's XML: its extent (``scan``) and what else was collected, and
    for a large sheet, its rows parsed in chunks during the pass."""

    scan: SheetScan
    extras: SheetExtras
    chunks: Chunks | None = None


class XlsxParts:
    """An .xlsx/.xlsm opened once for all its sheets: the XML part of each sheet, found from
    workbook.xml once (not once per sheet: a workbook of many sheets is read in linear time)."""

    def __init__(self, path: Path) -> None:
        self.archive = zipfile.ZipFile(path)
        self._shared: SharedStrings | None = None
        self._styles: frozenset[int] | None = None
        self._workbook_parts: dict[str, bytes] | None = None
        self._opened: Opened | None = None  # by fastexcel, for sheets parsed whole
        self.path = path
        try:
            self.parts, self.related = _sheet_parts(self.archive)
        except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, ValueError):
            self.parts, self.related = {}, {}

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()
        self.archive.close()

    def read_sheet(
        self,
        sheet: str,
        pieces: Pieces,
        exact: bool = False,
        pool: ThreadPoolExecutor | None = None,
        chunk_pool: ThreadPoolExecutor | None = None,
    ) -> SheetXml | None:
        """How far the sheet's cells reach, whether it has formulas, and the rest of
        ``SheetExtras``, in one streaming pass; None when the sheet's XML cannot be found or
        read. With ``pool``, a large sheet's rows are parsed meanwhile: in chunks on
        ``chunk_pool`` (``pool`` when not given), or whole on ``pool`` (one sheet at a time:
        a whole sheet's cells are the largest thing held)."""
        part = self.parts.get(sheet)
        if part is None:
            return None
        size = self.archive.getinfo(part).file_size
        large = size >= ARROW_MIN_BYTES  # its first rows kept, its pieces checked quickly
        scan, extras = SheetScan(exact), SheetExtras(head=large)
        chunks = self._chunks(sheet, size, pool, chunk_pool or pool)
        try:
            with self.archive.open(part) as stream:
                for data, begin, end in pieces(stream):
                    quiet = large and _quiet(scan, extras, data, begin, end)
                    scan.feed(data, begin, end, quiet)
                    extras.feed(data, begin, end, scan.prefix or b"", quiet)
                    if chunks is not None and not chunks.broken:
                        if scan.fits and not extras.bools:  # every cell so far checked
                            chunks.feed(data, begin, end)
                        else:
                            chunks.stop()
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
            if chunks is not None:
                chunks.stop()
            return None
        extras.finish()
        scan.formulas = scan.formulas or extras.markers
        if chunks is not None:
            chunks.finish()
        if not scan.fits and not exact and not scan.exact:
            return self.read_sheet(sheet, pieces, exact=True)  # quick bounds: count exactly
        return SheetXml(scan, extras, chunks)

    def _chunks(
        self,
        sheet: str,
        size: int,
        pool: ThreadPoolExecutor | None,
        chunk_pool: ThreadPoolExecutor | None,
    ) -> Chunks | None:
        if pool is None or chunk_pool is None or size < MIN_SHEET_BYTES:
            return None
        shared = self.related.get("sharedStrings")
        if shared is not None and self.archive.getinfo(shared).file_size > MAX_SHARED_BYTES:
            if self._opened is None:  # opened once: the shared strings are parsed once
                self._opened = Opened(str(self.path))
            return Chunks({}, pool, whole=(self._opened, sheet))
        if self._workbook_parts is None:
            self._workbook_parts = {}
            for kind in ("styles", "sharedStrings"):
                found = self.related.get(kind)
                if found is not None:
                    self._workbook_parts[f"xl/{kind}.xml"] = self.archive.read(found)
        return Chunks(self._workbook_parts, chunk_pool)

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

    # -- what the first rows need -------------------------------------------------------
    def shared_strings(self, indices: Collection[int]) -> dict[int, str] | None:
        """The shared strings at ``indices`` (see ``SharedStrings.get``)."""
        part = self.related.get("sharedStrings")
        if part is None:
            return {} if not indices else None
        if self._shared is None:
            self._shared = SharedStrings(self.archive, part)
        return self._shared.get(indices)

    def date_styles(self) -> frozenset[int] | None:
        """Styles (cellXfs indices) whose number format may show a date or a time."""
        if self._styles is None:
            part = self.related.get("styles")
            try:
                root = ElementTree.fromstring(self.archive.read(part)) if part else None
            except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
                return None
            self._styles = frozenset() if root is None else _date_styles(root)
        return self._styles


# Built-in number formats that show a date or a time (ECMA-376 and the East Asian ones).
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\[[^\]]*\]')


def _date_styles(root: ElementTree.Element) -> frozenset[int]:
    custom = {
        int(f.get("numFmtId", "-1")): f.get("formatCode", "")
        for f in root.iter()
        if _local(f.tag) == "numFmt"
    }
    xfs = next((e for e in root if _local(e.tag) == "cellXfs"), None)
    found = set()
    for i, xf in enumerate(x for x in (xfs if xfs is not None else []) if _local(x.tag) == "xf"):
        number = int(xf.get("numFmtId", "0") or 0)
        code = _QUOTED.sub("", custom.get(number, ""))
        if number in _DATE_FORMAT_IDS or any(ch in code for ch in "dmyhsDMYHSeEgGbB"):
            found.add(i)
    return frozenset(found)


def _quiet(scan: SheetScan, extras: SheetExtras, data: bytes, start: int, end: int) -> bool:
    """Nothing in the piece for the streaming pass's expressions to look at (one check, off
    the interpreter lock)."""
    pattern = scan.quick_pattern() if extras.quick else None
    return pattern is not None and not has_markers(data, start, end, pattern)


def _sheet_parts(archive: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    """Sheet name → its XML part, through the package's relationships; and the workbook's
    shared strings and styles parts."""
    book = _office_document(archive)
    folder, name = posixpath.split(book)
    workbook = ElementTree.fromstring(archive.read(book))
    rels = ElementTree.fromstring(archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))
    targets: dict[str | None, str] = {}
    related: dict[str, str] = {}
    for r in rels.iter():
        if _local(r.tag) != "Relationship":
            continue
        targets[r.get("Id")] = r.get("Target", "")
        kind = r.get("Type", "").rsplit("/", 1)[-1]
        if kind in ("sharedStrings", "styles") and r.get("Target"):
            related[kind] = _resolve(folder, r.get("Target", ""))
    parts: dict[str, str] = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rid, "")
        if target:
            parts[sheet.get("name", "")] = _resolve(folder, target)
    return parts, related


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


def _unusable_cells(stream: IO[bytes]) -> Iterator[tuple[tuple[int, int], str | None]]:
    """(cell, None) for a formula without a stored value; (cell, '#DIV/0!') for an error."""
    for _, element in ElementTree.iterparse(stream):
        if element.tag != f"{_MAIN}c":
            continue
        formula = element.find(f"{_MAIN}f")
        value = element.find(f"{_MAIN}v")
        text = "" if value is None else (value.text or "").strip()
        is_error = element.get("t") == "e"
        if is_error or (formula is not None and not text):
            match = _CELL_REF.fullmatch(element.get("r", ""))
            if match:
                cell = (int(match.group(2)) - 1, column_index(match.group(1)))
                yield cell, (text or "#VALUE!") if is_error else None
        element.clear()
