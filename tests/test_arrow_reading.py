"""The typed-column reader (.xlsx sheets as Arrow columns, in chunks while the XML is streamed)
reads every sheet exactly as the cell reader does, or leaves it to the cell reader.

Each workbook is read both ways: through ``arrow_sheet_table`` with its size thresholds
lowered so that even a small sheet goes through it (and in chunks of a few rows), and through
the cell reader's rows (``build_sheet_table``). Where the Arrow path takes a sheet, the school
rows, the blank/合计/注 rows, the formula and error cells, the header and its mapping are the
same; a TRUE, a date or a text in a figure column makes it leave the sheet to the cell reader
(never a number).
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from helpers import examples, primary_school, template_frame
from junheng_cli.io import read, xlsx_chunks, xlsx_parts
from junheng_cli.io.read import open_workbook
from junheng_cli.io.sheet_table import ReadOptions, SheetTable, build_sheet_table
from junheng_cli.io.sheet_table.columns import arrow_sheet_table
from junheng_cli.io.sheet_table.files import choose_sheets
from junheng_cli.io.write import write_sheet_xlsx

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
TEXT_KINDS = ("code", "type", "township", "area_type")  # integer floats may read as their text


@pytest.fixture(params=["chunks", "whole"])
def small_chunks(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Every sheet through Arrow: in chunks of a few rows, or (as for a workbook with large
    shared strings) parsed whole while the next sheet is streamed; the XML streamed in
    pieces of 1 KB, so that most pieces get the quick check (``xlsx_quick``)."""
    monkeypatch.setattr(read, "SCAN_CHUNK", 1024)
    monkeypatch.setattr(xlsx_parts, "ARROW_MIN_BYTES", 0)
    monkeypatch.setattr(xlsx_parts, "MIN_SHEET_BYTES", 0)
    monkeypatch.setattr(xlsx_chunks, "CHUNK_BYTES", 2_000)
    if request.param == "whole":
        monkeypatch.setattr(xlsx_parts, "MAX_SHARED_BYTES", -1)


def both_ways(
    path: Path, group_by: str | None = None
) -> list[tuple[SheetTable | None, SheetTable]]:
    """(Arrow table or None, the cell reader's table) for each school sheet."""
    options = ReadOptions(group_by=group_by)
    found = []
    with open_workbook(path) as workbook:
        chosen, _ = choose_sheets(workbook, options)
        for name, block in chosen.items():
            fast = arrow_sheet_table(workbook, name, options.lookup, block, group_by)
            with open_workbook(path) as again:
                try:
                    slow: Any = build_sheet_table(
                        again.sheet(name), options.lookup, block, group_by
                    )
                except Exception as exc:
                    slow = exc
            found.append((fast, slow))
    return found


def cell(value: Any, column: str) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if column in TEXT_KINDS and isinstance(value, float) and value.is_integer():
        return ("text", str(int(value)))
    if column in TEXT_KINDS and isinstance(value, str):
        return ("text", value)
    return (type(value).__name__, value)


def assert_same(fast: SheetTable, slow: SheetTable) -> None:
    for name in (
        "header",
        "ignored_headers",
        "blank_rows",
        "note_rows",
        "uncached_formulas",
        "error_cells",
        "duplicate_columns",
    ):
        assert getattr(fast, name) == getattr(slow, name), name
    assert list(fast.sources) == list(slow.sources)
    for mine, theirs in ((fast.frame, slow.frame), (fast.total_rows, slow.total_rows)):
        assert list(mine.columns) == list(theirs.columns) and len(mine) == len(theirs)
        for column in mine.columns:
            assert [cell(v, column) for v in mine[column]] == [
                cell(v, column) for v in theirs[column]
            ], column


@pytest.mark.parametrize("name", ["示例县2026.xlsx", "示例县2026Q2.xlsx", "示例县2026Q3.xlsx"])
def test_the_sample_counties_read_the_same_as_columns(small_chunks: None, name: str) -> None:
    ((fast, slow),) = both_ways(SAMPLE / name)
    assert fast is not None
    assert_same(fast, slow)


def county_with(tmp_path: Path, cells: dict[str, Any], extra_rows: int = 0) -> Path:
    schools = [primary_school(f"第{i}小学", 200 + 10 * i, code=f"C{i:03d}") for i in range(8)]
    path = tmp_path / "县.xlsx"
    write_sheet_xlsx(template_frame(schools), path, "学校")
    book = load_workbook(path)
    sheet = book["学校"]
    for ref, value in cells.items():
        sheet[ref] = value
        if isinstance(value, str) and value.startswith("#"):
            sheet[ref].data_type = "e"
    book.save(path)
    return path


def test_blank_total_and_note_rows_formulas_and_errors_sort_the_same(
    small_chunks: None, tmp_path: Path
) -> None:
    path = county_with(
        tmp_path,
        {
            "A12": "全县 合计",
            "G12": 2000,
            "A14": "  注：数据截至九月",
            "B15": "填表人：张三",
            "W4": "=F4*30",  # a formula never calculated
            "X5": "#DIV/0!",  # an error value
            "D30": "  ",  # far below, only a blank
        },
    )
    ((fast, slow),) = both_ways(path)
    assert fast is not None
    assert slow.total_rows[["_row"]].values.ravel().tolist() == [12]
    assert slow.note_rows == [14, 15] and slow.uncached_formulas and slow.error_cells
    assert_same(fast, slow)


@pytest.mark.parametrize(
    "value",
    [True, False, datetime.date(2020, 1, 2), "1,200", "无", "12", "nan", "NA", " 7 ", 1e20],
)
def test_a_figure_column_holding_anything_but_a_number_is_left_to_the_cell_reader(
    small_chunks: None, tmp_path: Path, value: Any
) -> None:
    """TRUE, a date or a text in a figure column is never made a number: the cell reader
    reads that sheet (1e20 is a number: read as one, and checked as the cell reader's)."""
    ((fast, slow),) = both_ways(county_with(tmp_path, {"G5": value}))
    if isinstance(value, float):
        assert fast is not None
        assert_same(fast, slow)
    else:
        assert fast is None


@pytest.mark.parametrize("value", [2.2250738585072014e-308, 1e-20, 3.0000000001, -0.9999999999])
def test_a_number_among_text_codes_is_never_read_as_its_rounded_text(
    small_chunks: None, tmp_path: Path, value: float
) -> None:
    """fastexcel writes a number in a column of text rounded to nine decimals (1e-20 as "0",
    3.0000000001 as "3"), which cannot be told from a code typed as text: the code column
    then goes to the cell reader, which keeps the number as it is."""
    ((fast, slow),) = both_ways(county_with(tmp_path, {"A5": value}))
    kept = slow.frame.set_index("_row").loc[5, "code"]
    assert isinstance(kept, float) and math.isclose(kept, value, rel_tol=1e-15)  # 16 digits
    assert fast is None


def test_a_total_in_a_numbered_column_keeps_the_columns(small_chunks: None, tmp_path: Path) -> None:
    """Text and numbers in a column the template does not read (a 序号 column with 合计 in
    its last row) are only looked at for emptiness and labels: the sheet is still read as
    columns, the same as the cell reader reads it."""
    schools = [primary_school(f"第{i}小学", 200 + 10 * i, code=f"C{i:03d}") for i in range(8)]
    frame = template_frame(schools)
    frame.insert(0, "序号", list(range(1, 9)))
    path = tmp_path / "县.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    book = load_workbook(path)
    book["学校"]["A10"] = "合计"
    book["学校"]["H10"] = 2000
    book.save(path)
    ((fast, slow),) = both_ways(path)
    assert slow.total_rows[["_row"]].values.ravel().tolist() == [10]
    assert fast is not None
    assert_same(fast, slow)


def test_a_far_cell_is_never_given_to_a_parser(small_chunks: None, tmp_path: Path) -> None:
    """Chunks go to the parser only once every cell in them and before them is checked: a
    far cell below the table stops them, and the sheet goes the cell-by-cell way."""
    path = county_with(tmp_path, {"XFD50000": "x"})
    with open_workbook(path) as workbook:
        xml = workbook.sheet_xml("学校")
        assert xml is not None and not xml.scan.fits
        assert xml.chunks is None or xml.chunks.broken


def test_rows_after_a_gap_and_a_group_column_read_the_same_in_chunks(
    small_chunks: None, tmp_path: Path
) -> None:
    schools = [primary_school(f"第{i}小学", 200 + i, code=f"C{i:03d}") for i in range(60)]
    frame = template_frame(schools)
    frame.insert(0, "县", [f"县{i % 3}" for i in range(60)])
    path = tmp_path / "多县.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    book = load_workbook(path)
    sheet = book["学校"]
    sheet.insert_rows(30, amount=5)  # blank rows between chunks
    sheet["B90"] = "第九十小学"
    book.save(path)
    ((fast, slow),) = both_ways(path, group_by="县")
    assert fast is not None
    assert_same(fast, slow)


VALUES = st.one_of(
    st.none(),
    st.sampled_from(["", "合计", "小 计", "注：说明", "填表人：李四", "无", "第九小学"]),
    st.integers(-5, 5000),
    st.floats(0, 1e6, allow_nan=False),
    st.text(alphabet="0123456789.-, 　a合计注", max_size=4),
)


@pytest.mark.slow
@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(cells=st.lists(st.tuples(st.integers(2, 12), st.integers(0, 33), VALUES), max_size=8))
@example(cells=[(2, 0, 2.2250738585072014e-308)])  # read as "0" by fastexcel (CI, 2026-12-01)
def test_any_cells_read_the_same_or_go_to_the_cell_reader(
    small_chunks: None, tmp_path_factory: pytest.TempPathFactory, cells: list[Any]
) -> None:
    folder = tmp_path_factory.mktemp("cells")
    refs = {f"{_letter(c)}{r}": v for r, c, v in cells if not (isinstance(v, str) and "\r" in v)}
    for fast, slow in both_ways(county_with(folder, refs)):
        if fast is not None:
            assert_same(fast, slow)


def _letter(index: int) -> str:
    return chr(65 + index) if index < 26 else "A" + chr(65 + index - 26)


def test_a_chunk_workbook_is_a_valid_zip_built_from_its_pieces() -> None:
    """A chunk's rows go into its workbook as the pieces the streaming pass cut, copied once:
    the archive reads back whole, every member's CRC checked."""
    import io
    import zipfile

    pieces = [b'<row r="7"><c r="A7"><v>1', b".5</v></c></row><row r", b'="8"><c r="A8"/></row>']
    archive = xlsx_chunks.stored_zip([("a.xml", [b"<a/>"]), ("b/c.xml", pieces), ("e", [])])
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        assert opened.testzip() is None
        assert opened.namelist() == ["a.xml", "b/c.xml", "e"]
        assert opened.read("b/c.xml") == b"".join(pieces) and opened.read("e") == b""
    assert xlsx_chunks._next_first_row(pieces) == 8  # the row tag cut between two pieces
    assert xlsx_chunks._next_first_row([b"<row r=", b'"12">', b"<c/>"]) == 12
