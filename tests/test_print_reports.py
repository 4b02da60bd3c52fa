"""Reports that print: the inspectors' tables in the xlsx, per-school charts that stay readable
with many schools, and an HTML page laid out for A4.

The small county (优质均衡, 小学 only), worked by hand — every quantity is the helper's default
except 教学及辅助用房面积, so every other indicator is the same in every school (CV 0):

  甲小学  P = 400  用房 2000 ㎡ → 5.0 ㎡/生  ≥ 4.5          是        7 项达标 → 达标
  乙小学  P = 400  用房 1600 ㎡ → 4.0 ㎡/生  ≥ 3.825 (85%)  基本达标  6 项     → 达标
  丙小学  P = 200  用房  700 ㎡ → 3.5 ㎡/生  < 3.825        否        6 项     → 未达标

  mean = 4300 / 1000 = 4.3; S² = 0.4·0.7² + 0.4·0.3² + 0.2·0.8² = 0.36, S = 0.6;
  CV = 0.6 / 4.3; 综合 = (0.6 / 4.3) / 7 (the other six are 0).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from helpers import primary_school, write_county_file
from junheng_cli.cli.app import app
from junheng_cli.report.html import css_string

runner = CliRunner()
QUALITY = ("--standard", "quality-2017")
CV = 0.6 / 4.3


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("small") / "小县.xlsx"
    return write_county_file(
        path,
        [
            primary_school("甲小学", 400, teaching_area=2000.0),
            primary_school("乙小学", 400, teaching_area=1600.0),
            primary_school("丙小学", 200, teaching_area=700.0),
        ],
    )


@pytest.fixture(scope="module")
def small_book(small: Path, tmp_path_factory):
    out = tmp_path_factory.mktemp("book") / "报告.xlsx"
    result = run("evaluate", small, *QUALITY, "-o", out)
    assert result.exit_code == 0, result.output
    return load_workbook(out)


def column_of(ws, row: int, starts: str) -> int:
    return next(
        c.column for c in ws[row] if isinstance(c.value, str) and c.value.startswith(starts)
    )


def row_of(ws, column: int, value: str) -> int:
    return next(c.row for c in ws[column_letter(column)] if c.value == value)


def column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


# -- 校际差异系数统计表 ---------------------------------------------------------------------------
def test_cv_statistics_table_has_the_hand_worked_numbers(small_book) -> None:
    ws = small_book["校际差异系数统计表"]
    assert ws["A1"].value == "小县义务教育学校校际差异系数统计表"
    assert [c.value for c in ws[3]][:2] == ["学段", "项目"]
    area = column_of(ws, 3, "生均教学及辅助用房面积")
    assert ws.cell(3, area).value == "生均教学及辅助用房面积（㎡）"  # the unit in the header
    composite = column_of(ws, 3, "综合差异系数")
    assert composite == 3 + 7  # 学段, 项目, the seven indicators, then 综合
    rows = {ws.cell(r, 2).value: r for r in range(4, 9)}
    assert list(rows) == ["全县平均值", "标准差", "差异系数", "限值", "判定"]
    assert ws.cell(rows["全县平均值"], area).value == pytest.approx(4.3, rel=1e-12)
    assert ws.cell(rows["标准差"], area).value == pytest.approx(0.6, rel=1e-12)
    cv = ws.cell(rows["差异系数"], area)
    assert cv.value == pytest.approx(CV, rel=1e-12) and cv.number_format == "#,##0.0000"
    assert ws.cell(rows["差异系数"], composite).value == pytest.approx(CV / 7, rel=1e-12)
    assert ws.cell(rows["限值"], area).value == 0.5
    assert ws.cell(rows["判定"], area).value == "达标"
    books = column_of(ws, 3, "每百名学生拥有高于规定学历教师数")
    assert ws.cell(rows["全县平均值"], books).value == pytest.approx(5.0, rel=1e-12)  # 20 / 400
    assert ws.cell(rows["差异系数"], books).value == 0
    assert ws["A4"].value == "小学\n3 所\n在校生 1,000 人"
    assert ws.cell(9, 1).value is None  # no 初中 block: the county has no 初中
    assert ws.freeze_panes == "C4" and ws.print_title_rows == "$3:$3"
    assert_print_ready(ws)


# -- 达标情况表 -------------------------------------------------------------------------------
def test_attainment_table_has_floor_standard_value_and_verdict(small_book) -> None:
    ws = small_book["达标情况表（小学）"]
    assert ws["A1"].value == "小县小学校际资源配置达标情况表"
    area = column_of(ws, 3, "生均教学及辅助用房面积")
    assert [ws.cell(4, area + k).value for k in range(4)] == [
        "基本值",
        "达标值",
        "实际值",
        "是否达标",
    ]
    assert [ws.cell(r, 2).value for r in (5, 6, 7)] == ["甲小学", "乙小学", "丙小学"]
    floor, standard, value, status = (ws.cell(7, area + k) for k in range(4))  # 丙小学
    assert floor.value == pytest.approx(3.825, rel=1e-12) and floor.number_format == "#,##0.000"
    assert standard.value == 4.5
    assert value.value == pytest.approx(3.5, rel=1e-12)
    assert status.value == "否"
    assert [ws.cell(r, area + 2).value for r in (5, 6)] == [5.0, 4.0]
    assert [ws.cell(r, area + 3).value for r in (5, 6)] == ["是", "基本达标"]
    books = column_of(ws, 3, "每百名学生拥有高于规定学历教师数")
    assert [ws.cell(6, books + k).value for k in range(4)] == [
        pytest.approx(3.57),
        4.2,
        5.0,
        "是",
    ]
    last = ws.max_column
    assert ws.cell(3, last - 1).value == "达标项数" and ws.cell(3, last).value == "学校是否达标"
    assert [ws.cell(r, last - 1).value for r in (5, 6, 7)] == [7, 6, 6]
    assert [ws.cell(r, last).value for r in (5, 6, 7)] == ["达标", "达标", "未达标"]
    assert ws.cell(8, 1).value == "达标校数"
    assert ws.cell(8, area + 3).value == 1  # only 甲小学 meets the standard for 用房
    assert ws.cell(8, books + 3).value == 3
    assert ws.cell(8, last).value == "达标 2 所，未达标 1 所"
    assert ws.freeze_panes == "C5" and ws.print_title_rows == "$3:$4"


def test_attainment_rows_keep_each_cells_own_format(small_book) -> None:
    """Every school row formatted alike (the looks are made once and copied): statuses and
    verdicts coloured by their own value, figures with their indicator's places, boxed."""
    ws = small_book["达标情况表（小学）"]
    area = column_of(ws, 3, "生均教学及辅助用房面积")
    books = column_of(ws, 3, "每百名学生拥有高于规定学历教师数")
    last = ws.max_column
    colour = {"是": "00C6EFCE", "基本达标": "00FFEB9C", "否": "00FFC7CE"}
    for row in (5, 6, 7):
        status = ws.cell(row, area + 3)
        assert status.fill.fgColor.rgb == colour[status.value]
        assert status.alignment.horizontal == "center"
        verdict = ws.cell(row, last)
        assert verdict.fill.fgColor.rgb == ("00C6EFCE" if verdict.value == "达标" else "00FFC7CE")
        assert ws.cell(row, 4).number_format == "#,##0"
        assert [ws.cell(row, area + k).number_format for k in range(3)] == ["#,##0.000"] * 3
        assert ws.cell(row, books).number_format == "#,##0.00"  # 3.57: its own places
        for column in (1, 2, 4, area, area + 3, last - 1, last):
            sides = ws.cell(row, column).border
            assert {sides.left.style, sides.right.style, sides.top.style} == {"thin"}
    assert ws.cell(5, 2).fill.fgColor.rgb != "00C6EFCE"  # a name cell is not coloured
    assert_print_ready(ws)
    junior = small_book["达标情况表（初中）"]
    assert junior["A5"].value == "初中没有参评学校。"


def assert_print_ready(ws) -> None:
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert "&P" in ws.oddFooter.right.text
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    assert widths["B"] >= 8  # set, not Excel's default


def test_inspector_sheets_sit_beside_the_others(small_book) -> None:
    names = small_book.sheetnames
    assert names.index("校际差异系数统计表") == names.index("差异系数") + 1
    assert names.index("达标情况表（小学）") == names.index("学校达标") + 1
    assert names.index("达标情况表（初中）") == names.index("达标情况表（小学）") + 1


def test_basic_standard_has_no_attainment_table(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "基本.xlsx"
    assert run("evaluate", small, "-o", out).exit_code == 0
    book = load_workbook(out)
    assert "没有逐校标准值" in book["达标情况表（小学）"]["A3"].value
    ws = book["校际差异系数统计表"]
    rows = {ws.cell(r, 2).value: r for r in range(4, 9)}
    composite = column_of(ws, 3, "综合差异系数")
    assert ws.cell(rows["限值"], composite).value == 0.65  # 2012 judges the composite only
    area = column_of(ws, 3, "生均教学及辅助用房面积")
    assert ws.cell(rows["限值"], area).value is None


# -- charts with many schools -----------------------------------------------------------------
MANY = 45


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """45 小学 of 1,000 pupils; 学校k has k 骨干教师 → k / 10 per 100 pupils (standard 1.0)."""
    path = tmp_path_factory.mktemp("many") / "大县.xlsx"
    schools = [
        primary_school(f"学校{k:02d}", 1000, backbone_teachers_primary=k) for k in range(MANY)
    ]
    return write_county_file(path, schools)


def test_xlsx_chart_shows_the_lowest_30_with_a_note(many: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告.xlsx"
    assert run("evaluate", many, *QUALITY, "-o", out).exit_code == 0
    book = load_workbook(out)
    notes = [c.value for c in book["图表"]["A"] if c.value]
    assert f"共 {MANY} 所，图中为最低的 30 所；完整数据见“学校达标”工作表。" in notes
    data = book["图表数据"]
    head = next(c.row for c in data["B"] if c.value == "骨干教师")
    assert [data.cell(head, c).value for c in (1, 3, 4)] == ["学校", "标准", "基本值（85%）"]
    block = list(data.iter_rows(min_row=head + 1, max_row=head + 31, values_only=True))
    assert [r[0] for r in block[:30]] == [f"学校{k:02d}" for k in range(30)]  # lowest first
    assert [r[1] for r in block[:30]] == [pytest.approx(k / 10) for k in range(30)]
    assert all(r[2] == 1.0 and r[3] == pytest.approx(0.85) for r in block[:30])
    assert block[30][0] is None  # nothing past the 30th
    assert len(book["图表"]._charts) == 3  # the CVs, then the two weakest indicators' schools


def test_html_chart_shows_the_lowest_30_sorted_with_the_standard(
    many: Path, tmp_path: Path
) -> None:
    out = tmp_path / "报告.html"
    assert run("evaluate", many, *QUALITY, "-o", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    figure = next(f for f in re.findall(r"<figure>.*?</figure>", page, re.S) if "骨干教师数" in f)
    names = re.findall(r">(学校\d\d)</text>", figure)
    assert names == [f"学校{k:02d}" for k in range(30)]
    assert f"共 {MANY} 所，图中为最低的 30 所；完整数据见" in figure
    assert "标准 1.00" in figure and "基本值（85%） 0.85" in figure
    # 学校00–08 (0–0.8) are below 85% of 1.0, 学校09 (0.9) is not, 学校10 (1.0) meets it
    bars = re.findall(r'<rect class="bar" [^>]* fill="(#\w+)"', figure)
    assert bars[:11] == ["#c00000"] * 9 + ["#bf8f00", "#2f5597"] and len(bars) == 30


def test_a_short_list_shows_every_school_without_a_note(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告.html"
    assert run("evaluate", small, *QUALITY, "-o", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    figure = next(f for f in re.findall(r"<figure>.*?</figure>", page, re.S) if "用房面积" in f)
    assert re.findall(r">(\w小学)</text>", figure) == ["丙小学", "乙小学", "甲小学"]
    assert "图中为最低的" not in figure


# -- HTML for A4 ----------------------------------------------------------------------------
def test_html_is_laid_out_for_a4(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告.html"
    assert run("evaluate", small, *QUALITY, "-o", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "@page { size: A4;" in page
    assert '@bottom-left { content: "县域义务教育优质均衡发展（2017） 评估报告";' in page
    assert 'content: "第 " counter(page) " 页，共 " counter(pages) " 页"' in page
    assert "thead { display: table-header-group; }" in page
    assert "tr, figure, .keep { break-inside: avoid; }" in page
    assert "h1, h2, h3, figcaption, .lead { break-after: avoid; }" in page
    svgs = re.findall(r"<svg[^>]*>", page)
    assert svgs and all('viewBox="0 0 ' in s and 'width="100%"' in s for s in svgs)
    assert not any(re.search(r'\swidth="\d+"', s) for s in svgs)  # no fixed pixel width
    tables = re.findall(r"<table>(.*?)</table>", page, re.S)
    with_headers = [t for t in tables if "<th>" in t and not t.startswith("<tbody><tr><th>")]
    assert with_headers and all(t.startswith("<thead>") for t in with_headers)


def test_a_standard_name_cannot_break_out_of_the_style_sheet() -> None:
    quoted = css_string('名"称\\</style><script>')
    assert quoted == '"名\\22 称\\5c \\3c /style\\3e \\3c script\\3e "'


# -- the headline first --------------------------------------------------------------------------
VERDICT = "全县未达到优质均衡：小学差异系数均在限值内；1 所小学未达标。"
# 乙小学 (4.5 − 4.0) × 400 = 200 ㎡ and 丙小学 (4.5 − 3.5) × 200 = 200 ㎡
BILL = (
    "使每所学校各项指标达到标准，全县需补充：教学及辅助用房 400 ㎡。"
    "差距最大的 1 所：丙小学（小学，6/7 项达标）。"
)


def test_xlsx_summary_opens_with_the_headline_and_the_bill(small: Path, small_book) -> None:
    result = run("evaluate", small, *QUALITY, "--format", "json")
    summary = __import__("json").loads(result.stdout)["summary"]
    assert summary["headline"] == [VERDICT, BILL]
    ws = small_book["汇总"]
    assert (ws["A2"].value, ws["A3"].value) == (VERDICT, BILL)
    labels = [None] + [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]  # by row number
    head = labels.index("需补充")
    assert [ws.cell(head, c).value for c in (1, 2, 3)] == ["需补充", "数量", "涉及学校"]
    area = ws.cell(head + 1, 2)
    assert ws.cell(head + 1, 1).value == "教学及辅助用房"
    assert area.value == 400 and area.number_format == '#,##0 "㎡"'  # a number, its unit shown
    assert ws.cell(head + 1, 3).value == 2
    worst = labels.index("学校")
    assert [ws.cell(worst + 1, c).value for c in (1, 2, 3, 4)] == [
        "丙小学",
        "教学用房",
        "小学",
        "6/7",
    ]
    # the data facts come after the answer
    assert labels.index("读取行数") > labels.index("结论与数据") > worst


def test_html_opens_with_the_headline_and_the_bill(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告.html"
    assert run("evaluate", small, *QUALITY, "-o", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    body = page[page.index("<body>") :]
    verdict = body.index(f"<p class='verdict fail'>{VERDICT}</p>")
    bill = body.index(f"<p class='bill'>{BILL}</p>")
    table = body.index(
        "<td>教学及辅助用房</td><td class='num'>400 ㎡</td><td class='num'>2 所</td>"
    )
    facts = body.index("<th>读取行数</th><td>3</td>")
    assert body.index("<h1>") < verdict < bill < table < body.index("结论与数据") < facts
