"""What the one streaming pass over an .xlsx sheet's XML collects besides how far its cells
reach (``xlsx_scan``): the first rows as raw cells (the header is found from them, without
parsing the sheet), the merged ranges, whether any cell is TRUE/FALSE, and the cells whose
stored value cannot be used (a formula never calculated, an error value such as #DIV/0!).

Formula and error cells are picked out by regular expressions over the pieces that hold a
formula or an error at all; when a piece holds one the expressions do not account for (a
namespace prefix, a cell of an unusual shape), ``formulas`` is None and the sheet's XML is
parsed for them as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

from junheng_cli.io.cells import column_index

HEAD_ROWS = 40  # rows kept from the top of the sheet: the header is looked for in them

_FLAG = re.compile(rb"""t=["']([eb])["']""")
_ERROR_FLAG = re.compile(rb"""t=["']e["']""")
_BOOL_FLAG = re.compile(rb"""t=["']b["']""")
_FORMULA_TAG = re.compile(rb"<f[\s>/]")
_FORMULA = rb"(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)"
_VALUE = rb"(?:<v>([^<]*)</v>|<v\s*/>)"
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Za-z]+)(\d+)"([^>]*)>\s*' + _FORMULA + rb"\s*(?:" + _VALUE + rb")?\s*</c>"
)
_ERROR_CELL = re.compile(
    rb'<c r="([A-Za-z]+)(\d+)"[^>]*?\bt=["\']e["\'][^>]*?(?:/>|>\s*(?:'
    + _FORMULA
    + rb")?\s*(?:"
    + _VALUE
    + rb")?\s*</c>)"
)
_CELL_START = re.compile(rb"<c[\s>]")
_ROW_END = re.compile(rb"</(?:[\w.-]+:)?row>|<(?:[\w.-]+:)?row\b[^>]*/>")
_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData>|<(?:[\w.-]+:)?sheetData\s*/>")
_MERGE = re.compile(rb"""<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref=["']([^"']*)["']""")


@dataclass
class FormulaCells:
    """Cells (row, col), 0-based, whose stored value cannot be used: a formula that was never
    calculated, or a cell whose value is an error such as #DIV/0! (the reader gives both as
    empty)."""

    uncached: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass(frozen=True)
class RawCell:
    """A cell of the first rows as written: its type attribute, style, value text."""

    row: int
    col: int
    kind: str  # the t attribute ('' for a number)
    style: int | None
    text: str | None  # <v> text, or an inline string's text


class SheetExtras:
    """Fed every piece of the sheet XML, in order (each piece cut before a '<')."""

    def __init__(self, head: bool = True) -> None:
        self.bools = False
        self.markers = False  # a formula or an error value somewhere
        self.formulas: FormulaCells | None = FormulaCells()
        self.merge_refs: list[str] = []
        self.head: list[RawCell] | None = [] if head else None  # None: not collected
        self.head_rows = 0  # row elements fed to the head parser
        self._parser = ElementTree.XMLPullParser(("end",)) if head else None
        self._carry = b""  # an unfinished cell at the end of a piece with formulas
        self._merges = False  # past </sheetData>

    @property
    def quick(self) -> bool:
        """Whether the next piece may be given the quick check (``xlsx_quick``): no cell is
        carried from the last one."""
        return not self._carry

    def feed(self, data: bytes, start: int, end: int, prefix: bytes, quiet: bool = False) -> None:
        """``quiet``: the piece passed the quick check, no flag, formula or error in it."""
        if self._parser is not None:
            self._feed_head(data, start, end)
        if not quiet:
            self._flags(data, start, end, prefix)
        self._find_merges(data, start, end)

    def finish(self) -> None:
        if self._parser is not None:
            self._close_head()

    # -- TRUE/FALSE, formulas and error values ------------------------------------------
    def _flags(self, data: bytes, start: int, end: int, prefix: bytes) -> None:
        errors = False
        found = _FLAG.search(data, start, end)
        if found is not None:
            if found.group(1) == b"b":
                self.bools = True
                errors = _ERROR_FLAG.search(data, start, end) is not None
            else:
                errors = True
                self.bools = self.bools or _BOOL_FLAG.search(data, start, end) is not None
        formulas = data.find(b"<f", start, end) != -1
        if formulas or errors:
            self.markers = True
        if self.formulas is None:
            return
        if (formulas or errors) and prefix:
            self.formulas = None  # <x:c …>: parsed as XML instead
        elif formulas or errors or self._carry:
            self._formula_cells(data, start, end, whole=formulas or errors)

    def _formula_cells(self, data: bytes, start: int, end: int, whole: bool) -> None:
        """The formula and error cells of the piece, complete cells only: an unfinished cell
        at its end is carried to the next piece."""
        if not whole:  # only the carried cell: up to its end
            close = data.find(b"</c>", start, end)
            end = end if close == -1 else close + 4
        last = data.rfind(b"</c>", start, end)
        cut = _last_open_cell(data, start if last == -1 else last + 4, end)
        region = self._carry + data[start:cut]
        self._carry = data[cut:end] if whole or cut < end else b""
        if b"<!" in region:  # a comment or CDATA: the expressions cannot be trusted
            self.formulas = None
            return
        found = self.formulas
        assert found is not None
        cells = 0
        for match in _FORMULA_CELL.finditer(region):
            cells += 1
            if _ERROR_FLAG.search(match.group(3)) is None and not (match.group(4) or b"").strip():
                found.uncached.add(_position(match))
        errors = 0
        for match in _ERROR_CELL.finditer(region):
            errors += 1
            text = (match.group(3) or b"").strip().decode("utf-8", "replace")
            found.errors[_position(match)] = text or "#VALUE!"
        if cells != len(_FORMULA_TAG.findall(region)) or errors != len(_ERROR_FLAG.findall(region)):
            self.formulas = None

    # -- merged ranges (after </sheetData>) ----------------------------------------------
    def _find_merges(self, data: bytes, start: int, end: int) -> None:
        if not self._merges:
            last_row = data.rfind(b"row>", start, end)
            found = _DATA_END.search(data, max(start, last_row), end)
            if found is None:
                return
            self._merges = True
            start = found.end()
        self.merge_refs += [m.decode("ascii", "replace") for m in _MERGE.findall(data, start, end)]

    # -- the first rows ------------------------------------------------------------------
    def _feed_head(self, data: bytes, start: int, end: int) -> None:
        cut = end
        for match in _ROW_END.finditer(data, start, end):
            self.head_rows += 1
            if self.head_rows >= HEAD_ROWS:
                cut = match.end()
                break
        assert self._parser is not None
        fed = data[start:cut]
        try:
            self._parser.feed(fed)
            self._take_rows()
        except ElementTree.ParseError:
            self.head, self._parser = None, None
            return
        if self.head is None or b"\r" in fed:  # \r: line ends the parser would change
            self.head, self._parser = None, None
        elif self.head_rows >= HEAD_ROWS:
            self._close_head()

    def _take_rows(self) -> None:
        assert self._parser is not None
        for _, element in self._parser.read_events():
            if self.head is None:
                return
            if _local(element.tag) != "row":
                continue
            for cell in element:
                if _local(cell.tag) == "c":
                    raw = _raw_cell(cell)
                    if raw is None:
                        self.head = None
                        return
                    if raw.row < HEAD_ROWS:
                        self.head.append(raw)
            element.clear()

    def _close_head(self) -> None:
        self._parser = None


def head_width(extras: SheetExtras) -> int:
    """As far right as a cell with a value reaches in the first rows (the columns count)."""
    found = [
        c.col + 1
        for c in extras.head or []
        if c.text is not None and (c.kind not in ("", "n") or c.text.strip())
    ]
    return max(found, default=0)


def _last_open_cell(data: bytes, start: int, end: int) -> int:
    """Where the cell left unfinished at the end of the piece begins (``end`` if none)."""
    found = None
    for found in _CELL_START.finditer(data, start, end):  # noqa: B007 - the last one
        pass
    return end if found is None else found.start()


def _position(match: re.Match[bytes]) -> tuple[int, int]:
    return int(match.group(2)) - 1, column_index(match.group(1).decode().upper())


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


_REF = re.compile(r"([A-Za-z]+)(\d+)")
_PRESERVE = "{http://www.w3.org/XML/1998/namespace}space"
XML_BLANKS = " \t\r\n"  # what the cell reader trims from a text not marked to be kept


def _text(element: ElementTree.Element) -> str:
    """A <t> element's text as the cell reader takes it: trimmed unless xml:space="preserve"."""
    text = element.text or ""
    return text if element.get(_PRESERVE) == "preserve" else text.strip(XML_BLANKS)


def _raw_cell(cell: ElementTree.Element) -> RawCell | None:
    """A cell of the head as written; None when it cannot be placed."""
    ref = next((v for k, v in cell.attrib.items() if _local(k) == "r"), None)
    match = _REF.fullmatch(ref or "")
    if match is None:
        return None
    kind = cell.get("t", "")
    style = cell.get("s")
    text: str | None = None
    for child in cell:
        name = _local(child.tag)
        if name == "v":
            text = child.text or ""
        elif name == "is":
            if any(_local(e.tag) == "rPh" for e in child.iter()):
                return None  # phonetic runs: read as the cell reader reads them
            text = "".join(_text(e) for e in child.iter() if _local(e.tag) == "t")
            if "_x" in text:
                return None  # _x000D_ escapes: left to the cell reader
    return RawCell(
        int(match.group(2)) - 1,
        column_index(match.group(1).upper()),
        kind,
        int(style) if style and style.isdigit() else None,
        text,
    )
