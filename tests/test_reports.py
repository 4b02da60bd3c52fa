"""Report files: the xlsx workbook, CSV and HTML, and the safety rules around writing them."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from helpers import SAMPLE, primary_school
from junheng_cli.cli.app import app

runner = CliRunner()
SHEETS = [
    "汇总",
    "图表",
    "差异系数",
    "校际差异系数统计表",
    "差距来源",
    "学校达标",
    "达标情况表（小学）",
    "达标情况表（初中）",
    "补短板清单",
    "数据问题",
    "排除学校",
    "图表数据",
]
NASTY = '=HYPERLINK("http://example.invalid","点我")'


def run(*args: str):
    return runner.invoke(app, list(args))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    """A small county with a school whose name is a formula."""
    from helpers import write_county_file

    path = tmp_path_factory.mktemp("county") / "县.xlsx"
    return write_county_file(
        path,
        [
            primary_school("甲小学", 400),
            primary_school(NASTY, 300, books=4500, backbone_teachers_primary=1),
            primary_school("-丙小学", 350, teaching_area=1200.0),
            primary_school("@丁小学", 320),
        ],
    )


def json_doc(path: Path, standard: str) -> dict:
    result = run("evaluate", str(path), "--standard", standard, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_xlsx_report_has_every_sheet_numbers_and_charts(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告.xlsx"
    result = run("evaluate", str(county), "--standard", "quality-2017", "--output", str(out))
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == SHEETS
    doc = json_doc(county, "quality-2017")
    cv = wb["差异系数"]
    header = [c.value for c in cv[1]]
    composite_col = header.index("综合") + 1
    composites = {
        cv.cell(r, 1).value: cv.cell(r, composite_col)
        for r in range(2, cv.max_row + 1)
        if cv.cell(r, 2).value == "差异系数"
    }
    for level in doc["levels"]:
        if level["schools"]:
            cell = composites[level["name"]]
            assert cell.data_type == "n"
            assert cell.value == pytest.approx(level["composite_cv"], rel=1e-12)
    assert len(wb["图表"]._charts) >= 3  # CVs against limits + the weakest indicators
    schools = wb["学校达标"]
    names = [schools.cell(r, 2) for r in range(2, schools.max_row + 1)]
    nasty = next(c for c in names if c.value == NASTY)
    assert nasty.data_type == "s"  # text, never a formula
    assert schools.freeze_panes == "A2"
    students = schools.cell(2, [c.value for c in schools[1]].index("在校生数") + 1)
    assert students.data_type == "n" and students.value == 400
    assert schools.conditional_formatting  # red / amber / green status
    assert wb["汇总"].page_setup.orientation == "landscape"
    manifest = [str(c.value) for c in wb["汇总"]["B"] if c.value]
    assert hashlib.sha256(county.read_bytes()).hexdigest() in manifest


def test_basic_standard_xlsx_has_no_gaps_but_every_sheet(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "基本.xlsx"
    assert run("evaluate", str(county), "-o", str(out)).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == SHEETS
    assert "没有逐校标准值" in wb["补短板清单"]["A1"].value


def test_csv_round_trips_with_the_same_numbers(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "学校.csv"
    assert run("evaluate", str(county), "--standard", "quality-2017", "-o", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the Chinese
    frame = pd.read_csv(out, encoding="utf-8-sig", dtype={"学校标识码": str})
    doc = json_doc(county, "quality-2017")
    assert len(frame) == len(doc["schools"])
    for (_, row), school in zip(frame.iterrows(), doc["schools"], strict=True):
        assert row["在校生数"] == school["students"]
        assert row["骨干教师"] == pytest.approx(school["values"]["backbone_teachers_per_100"])
        assert row["教学用房"] == pytest.approx(school["values"]["teaching_area_per_student"])
    names = frame["学校名称"].tolist()
    assert f"'{NASTY}" in names and "'-丙小学" in names and "'@丁小学" in names


def test_json_and_csv_are_byte_identical_across_runs(county: Path, tmp_path: Path) -> None:
    for suffix in ("json", "csv"):
        first, second = tmp_path / f"1.{suffix}", tmp_path / f"2.{suffix}"
        for out in (first, second):
            assert (
                run("evaluate", str(county), "--standard", "quality-2017", "-o", str(out)).exit_code
                == 0
            )
        assert first.read_bytes() == second.read_bytes()


def test_html_is_self_contained(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告.html"
    assert run("evaluate", str(county), "--standard", "quality-2017", "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and "评估报告" in page and "差异系数" in page
    assert not re.search(r'(src|href)\s*=\s*["\']?https?:', page)
    assert "<script" not in page and "@import" not in page
    assert "=HYPERLINK(&quot;" in page  # escaped, shown as text


def test_writing_over_an_input_is_refused(county: Path) -> None:
    before = sha(county)
    result = run("evaluate", str(county), "-o", str(county), "--force")
    assert result.exit_code == 2 and "拒绝覆盖输入文件" in result.stderr
    assert sha(county) == before


def test_an_existing_output_needs_force(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告.xlsx"
    out.write_text("旧文件", encoding="utf-8")
    result = run("evaluate", str(county), "-o", str(out))
    assert result.exit_code == 2 and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "旧文件"
    assert run("evaluate", str(county), "-o", str(out), "--force").exit_code == 0
    assert load_workbook(out).sheetnames[0] == "汇总"


def test_format_needs_an_output_and_an_unknown_suffix_is_refused(
    county: Path, tmp_path: Path
) -> None:
    assert run("evaluate", str(county), "--format", "xlsx").exit_code == 2
    result = run("evaluate", str(county), "-o", str(tmp_path / "报告.docx"))
    assert result.exit_code == 2 and "--format" in result.stderr


def test_no_stray_temporary_files(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告.xlsx"
    assert run("evaluate", str(county), "-o", str(out)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.xlsx"]


def test_sample_report_renders(tmp_path: Path) -> None:
    out = tmp_path / "示例.xlsx"
    assert run("evaluate", str(SAMPLE), "--standard", "quality-2017", "-o", str(out)).exit_code == 0
    assert load_workbook(out)["补短板清单"].max_row > 10
