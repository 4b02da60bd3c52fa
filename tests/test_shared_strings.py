"""The shared strings a sheet's first rows need: read forward once across sheets, only the
strings asked for kept, and the cases left to the cell reader still refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

from junheng_cli.io.xlsx_shared import SharedStrings

SST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="7">'
    "<si><t>学校名称</t></si>"
    "<si><t> 城关小学 </t></si>"
    '<si><t xml:space="preserve"> 留空 </t></si>'
    "<si><r><t>东</t></r><r><t>城</t></r></si>"
    "<si><t>A &amp; B</t></si>"
    "<si/>"
    '<si><t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh></si>'
    "<si><t>末尾</t></si>"
    "</sst>"
)


def archive(tmp_path: Path) -> zipfile.ZipFile:
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/sharedStrings.xml", SST)
    return zipfile.ZipFile(path)


def test_strings_are_decoded_as_the_cell_reader_gives_them(tmp_path: Path) -> None:
    shared = SharedStrings(archive(tmp_path), "xl/sharedStrings.xml")
    found = shared.get({0, 1, 2, 3, 4, 5})
    assert found is not None
    assert [found[i] for i in range(6)] == ["学校名称", "城关小学", " 留空 ", "东城", "A & B", ""]


def test_reading_goes_on_where_it_stopped_and_keeps_only_what_was_asked(
    tmp_path: Path,
) -> None:
    shared = SharedStrings(archive(tmp_path), "xl/sharedStrings.xml")
    assert shared.get({0}) == {0: "学校名称"}
    assert shared.get({0, 4}) == {0: "学校名称", 4: "A & B"}
    assert shared.passes == 1  # index 4 read on from index 1, not from the start again
    assert shared.get({1}) is not None and shared.found[1] == "城关小学"
    assert shared.passes == 2  # 1 was passed over and not kept: read from the start again


def test_a_phonetic_string_up_to_the_last_index_asked_leaves_the_head_to_the_cell_reader(
    tmp_path: Path,
) -> None:
    shared = SharedStrings(archive(tmp_path), "xl/sharedStrings.xml")
    assert shared.get({5}) is not None  # before the phonetic string: fine
    assert shared.get({7}) is None  # past it
    assert SharedStrings(archive(tmp_path), "xl/sharedStrings.xml").get({99}) is None
