"""The quick check of a piece of sheet XML (``io.xlsx_quick``, RE2 off the interpreter lock)
must find something wherever the streaming pass's own expressions would: a piece it passes is
never looked at again. Held to that on random bytes, and on whole sheets whose odd cell sits
in a later piece: what the pass collects is the same with the check as without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from junheng_cli.io import read, xlsx_parts
from junheng_cli.io.spreadsheetml import package_parts
from junheng_cli.io.xlsx_chunks import stored_zip
from junheng_cli.io.xlsx_extras import _FLAG
from junheng_cli.io.xlsx_parts import XlsxParts
from junheng_cli.io.xlsx_quick import has_markers, marker_pattern, row_bound
from junheng_cli.io.xlsx_scan import _beyond, _cell_patterns

TOKENS = [
    b"<c",
    b' r="',
    b"r=",
    b'"',
    b"'",
    b"A",
    b"H",
    b"I",
    b"Z",
    b"a",
    b"z",
    b"AH",
    b"AI",
    b"XFD",
    b"0",
    b"1",
    b"5",
    b"9",
    b"58823",
    b"1048576",
    b">",
    b"/>",
    b" ",
    b"\t",
    b"\v",
    b"\n",
    b" t=",
    b"e",
    b"b",
    b"<f",
    b"<f>",
    b":",
    b":c",
    b"x:",
    b"<v>1</v>",
    b"</c>",
    b"<cols>",
    b"\xff",
    b"\xe5\xad\xa6",
]


def python_finds(data: bytes, columns: int, limit: int) -> bool:
    """Whether any of the streaming pass's expressions stops in the piece."""
    return bool(
        _beyond(b"", columns, limit)[0].search(data)
        or _cell_patterns(b"").colon.search(data)
        or _FLAG.search(data)
        or data.find(b"<f") != -1
    )


@settings(max_examples=600, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(TOKENS), max_size=14),
    columns=st.integers(1, 20_000),
    limit=st.sampled_from([20_000_000, 1_000, 60, 1]),
    closed=st.booleans(),
)
@example(
    pieces=[b"<c", b' r="', b"AI", b"1", b'"', b">"], columns=34, limit=20_000_000, closed=True
)
@example(
    pieces=[b"<c", b' r="', b"A", b"58823", b"5", b'"', b"/>"],
    columns=34,
    limit=20_000_000,
    closed=True,
)
@example(pieces=[b"<c", b" "], columns=34, limit=20_000_000, closed=True)
@example(pieces=[b"<c", b' r="', b"AB"], columns=34, limit=20_000_000, closed=False)
@example(pieces=[b"<c", b"\v", b"r="], columns=34, limit=20_000_000, closed=True)
@example(pieces=[b"<c", b' r="', b"Z", b"1", b"\xff"], columns=26, limit=20_000_000, closed=True)
def test_the_quick_check_finds_whatever_the_expressions_find(
    pieces: list[bytes], columns: int, limit: int, closed: bool
) -> None:
    data = b"<v>0</v>" + b"".join(pieces) + (b"<v>0</v>" if closed else b"")
    if python_finds(data, columns, limit):
        assert has_markers(data, 0, len(data), marker_pattern(columns, limit))


@pytest.mark.parametrize(
    ("cell", "found"),
    [
        (b'<c r="AH499999"><v>1</v></c>', False),  # inside: the last column, a row allowed
        (b'<c r="A500000"><v>1</v></c>', True),  # six digits from 5: past the quick bound
        (b'<c r="ah12" t="s"><v>1</v></c>', False),  # letters in either case
        (b'<c r="AI1"><v>1</v></c>', True),  # one column past AH
        (b'<c r="BA1"><v>1</v></c>', True),
        (b'<c r="XFD1"><v>1</v></c>', True),
        (b'<c r="A9999999"><v>1</v></c>', True),  # a row past what 34 columns leave
        (b'<c r="A1x"><v>1</v></c>', True),
        (b'<c t="n"><v>1</v></c>', True),  # no position
        (b'<c  r="A1"><v>1</v></c>', True),
        (b'<c r="A1" t="b"><v>1</v></c>', True),
        (b"<c r='A1' t='e'><v>#N/A</v></c>", True),
        (b'<c r="A1"><f>1+1</f><v>2</v></c>', True),
        (b'<x:c r="A1"><v>1</v></x:c>', True),
    ],
)
def test_the_quick_check_on_cells_worked_by_hand(cell: bytes, found: bool) -> None:
    """34 columns (A–AH) and 20,000,000 cells leave rows up to 588,235, checked as six
    digits below 5 (``row_bound``)."""
    assert row_bound(34, 20_000_000) == (5, 6, 499_999)
    data = b'<row r="1"><c r="A1"><v>1</v></c>' + cell + b"</row>"
    assert has_markers(data, 0, len(data), marker_pattern(34, 20_000_000)) is found


def the_sheet(odd: bytes, rows: int = 300, at: int = 150) -> bytes:
    """A sheet of five columns, ``odd`` written into row ``at`` after its five cells."""
    out = [b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    out.append(b"<sheetData>")
    for r in range(1, rows + 1):
        cells = [
            b'<c r="A%d" t="inlineStr"><is><t>\xe5\xad\xa6\xe6\xa0\xa1%d</t></is></c>' % (r, r),
            *(b'<c r="%s%d"><v>%d.5</v></c>' % (c, r, r) for c in (b"B", b"C", b"D", b"E")),
        ]
        out.append(b'<row r="%d">' % r + b"".join(cells) + (odd if r == at else b"") + b"</row>")
    out.append(b'</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>')
    out.append(b"</worksheet>")
    return b"".join(out)


def workbook(tmp_path: Path, sheet: bytes) -> Path:
    parts = package_parts(["S"], None)
    members = [(name, [p.encode() if isinstance(p, str) else p]) for name, p in parts.items()]
    path = tmp_path / "县.xlsx"
    path.write_bytes(stored_zip([*members, ("xl/worksheets/sheet1.xml", [sheet])]))
    return path


def what_the_pass_collects(path: Path) -> tuple[Any, ...]:
    parts = XlsxParts(path)
    try:
        xml = parts.read_sheet("S", read._pieces)
    finally:
        parts.close()
    assert xml is not None
    scan, extras = xml.scan, xml.extras
    formulas = extras.formulas
    return (
        (scan.rows, scan.columns, scan.row_cap, scan.column_cap),
        (scan.fits, scan.exact, scan.formulas, scan.irregular),
        (extras.bools, extras.markers, extras.merge_refs),
        None if formulas is None else (formulas.uncached, formulas.errors),
    )


@pytest.mark.parametrize(
    "odd",
    [
        b"",
        b'<c r="AZ150"><v>1</v></c>',  # a column far to the right
        b'<c r="B4500000"><v>1</v></c>',  # a row past what five columns leave
        b'<c r="F150" t="b"><v>1</v></c>',
        b'<c r="F150" t="e"><v>#DIV/0!</v></c>',
        b"<c r='F150' t='e'><v>#N/A</v></c>",
        b'<c r="F150"><f>B150*2</f><v>301</v></c>',  # a formula with its value
        b'<c r="F150"><f>B150*2</f></c>',  # never calculated
        b'<c t="n"><v>5</v></c>',  # no position: cells read one by one
        b'<c  r="F150"><v>5</v></c>',
        b'<c\tr="F150"><v>5</v></c>',
        b'<x:c r="F150" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<x:v>5</x:v></x:c>",
        b'<c r="f150"><v>5</v></c>',  # lower-case letters: column F, past E
    ],
)
def test_a_sheet_reads_the_same_with_the_quick_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, odd: bytes
) -> None:
    """The odd cell sits in a later piece (pieces of 2 KB), after the first cells were
    counted: only there does the quick check replace the expressions."""
    path = workbook(tmp_path, the_sheet(odd))
    monkeypatch.setattr(read, "SCAN_CHUNK", 2048)
    monkeypatch.setattr(xlsx_parts, "ARROW_MIN_BYTES", 0)
    answers: list[bool] = []

    def counted(*args: Any) -> bool:
        answers.append(has_markers(*args))
        return answers[-1]

    monkeypatch.setattr(xlsx_parts, "has_markers", counted)
    quick = what_the_pass_collects(path)
    assert answers.count(False) > 10  # most pieces passed: the check was used
    assert answers.count(True) == (1 if odd else 0)  # the one piece holding it
    monkeypatch.setattr(xlsx_parts, "has_markers", lambda *args: True)
    assert quick == what_the_pass_collects(path)


@pytest.mark.parametrize("tail", [b"<c", b"<c ", b'<c r="'])
def test_a_cell_tag_the_piece_ends_in_is_found(tail: bytes) -> None:
    """Only the last piece of a cut-off file ends inside a tag; the expressions stop at it."""
    data = b'<row r="2"><c r="A2"><v>1</v></c></row>' + tail
    assert python_finds(data, 34, 20_000_000) is (tail != b"<c")
    assert has_markers(data, 0, len(data), marker_pattern(34, 20_000_000))
