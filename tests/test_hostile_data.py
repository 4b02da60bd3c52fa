"""Odd data that used to be accepted quietly (issue #12, item 10): fractional counts, two
columns for one field, a sheet with nothing under its header. Inputs are built here, small."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from helpers import primary_school, template_frame
from junheng_cli.cli.app import app
from junheng_cli.compute.validate import validate
from junheng_cli.io.sheet_table import read_school_table
from junheng_cli.io.write import write_sheet_xlsx
from junheng_cli.standards.model import load_standard

BASIC = load_standard("basic-2012")
runner = CliRunner()


def two_schools(**second: Any) -> list[dict[str, Any]]:
    return [primary_school("甲小学", 400), primary_school("乙小学", 300, **second)]


def write_rows(path: Path, rows: list[list[Any]], merges: tuple[str, ...] = ()) -> Path:
    """A 学校 sheet cell by cell (to put two columns under one field, or merge a header)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "学校"
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def json_issues(*args: str) -> tuple[int, list[dict[str, Any]]]:
    result = runner.invoke(app, [*args, "--format", "json"])
    doc = json.loads(result.stdout)
    return result.exit_code, doc["issues"]


# -- whole numbers ----------------------------------------------------------------------------
@pytest.mark.parametrize(("students", "shown"), [(0.5, "0.5"), (1e-320, "1e-320")])
def test_a_fraction_of_a_pupil_is_an_error_at_its_cell(
    write_county, students: float, shown: str
) -> None:
    path = write_county(two_schools(students_primary=students))
    code, issues = json_issues("validate", str(path))
    assert code == 1
    (issue,) = issues
    assert issue["code"] == "E_NOT_INTEGER" and issue["severity"] == "error"
    assert (issue["file"], issue["sheet"], issue["row"], issue["column"]) == (
        str(path),
        "学校",
        3,
        "F",
    )
    assert (issue["header"], issue["field"], issue["value"]) == (
        "小学在校生数",
        "students_primary",
        students,
    )
    assert issue["expected"] == "整数"
    assert issue["message"] == f"“小学在校生数”应为整数，实际为 {shown}"
    assert "整数" in issue["hint"]
    _, english = json_issues("validate", str(path), "--lang", "en")
    assert english[0]["message"] == f"'小学在校生数' should be a whole number, found {shown}"
    evaluated = runner.invoke(app, ["evaluate", str(path)])
    assert evaluated.exit_code == 1
    assert "E_NOT_INTEGER" in evaluated.stdout and "未给出结论" in evaluated.stdout


def test_every_count_field_must_be_whole_while_areas_and_money_need_not(write_county) -> None:
    path = write_county(
        two_schools(
            teachers_primary=16.5,
            books=9000.5,
            computers=37.5,
            multimedia_rooms=7.25,
            teaching_area=1500.5,  # ㎡ and 元 are decimals
            equipment_value=600000.75,
        )
    )
    findings = validate(read_school_table([path]), BASIC).findings
    assert [(f.code, f.row, f.column, f.header, f.value) for f in findings] == [
        ("E_NOT_INTEGER", 3, "I", "小学专任教师数", 16.5),
        ("E_NOT_INTEGER", 3, "W", "图书册数", 9000.5),
        ("E_NOT_INTEGER", 3, "X", "计算机台数", 37.5),
        ("E_NOT_INTEGER", 3, "Y", "网络多媒体教室数", 7.25),
    ]


def test_whole_numbers_pass_and_a_unit_conversion_gives_exactly_whole_counts(
    tmp_path: Path,
) -> None:
    """12.0 from Excel is 12. 1.2347 万册 × 10000 is 12346.999999999998 in floating point:
    whole within rounding, and read as exactly 12,347 册."""
    frame = template_frame(two_schools(students_primary=12.0, books=1.2347))
    frame = frame.rename(columns={"图书册数": "图书册数（万册）"})
    frame.loc[0, "图书册数（万册）"] = 1.2
    path = tmp_path / "万册.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    checked = validate(read_school_table([path]), BASIC)
    assert [f.code for f in checked.findings] == []
    assert checked.frame["students_primary"].tolist() == [400, 12]
    assert checked.frame["books"].tolist() == [12000, 12347]


def test_a_converted_count_that_is_not_whole_names_the_converted_value(tmp_path: Path) -> None:
    frame = template_frame(two_schools(books=1.23456))
    frame = frame.rename(columns={"图书册数": "图书册数（万册）"})
    frame.loc[0, "图书册数（万册）"] = 1.2
    path = tmp_path / "万册.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    (finding,) = validate(read_school_table([path]), BASIC).findings
    assert (finding.code, finding.row, finding.column, finding.value) == (
        "E_NOT_INTEGER",
        3,
        "W",
        1.23456,
    )
    assert finding.message() == (
        "“图书册数（万册）”应为整数，实际为 1.23456（表头单位为万册，换算为 12,345.6 册）"
    )
    assert finding.message("en").endswith("found 1.23456 (in 万册: 12,345.6 册)")


# -- two columns for one field ----------------------------------------------------------------
def test_two_columns_for_one_field_are_an_error_naming_both_cells(tmp_path: Path) -> None:
    """小学在校生数 (G) and 小学学生数 (H) are both students_primary: which one is meant is a
    guess, so nothing is read. 学校名称 merged over B1:C1 is one header, not two."""
    frame = template_frame(two_schools())
    headers = list(frame.columns)
    rows = [list(r) for r in frame.itertuples(index=False)]
    at = headers.index("小学在校生数") + 1
    headers = [*headers[:2], None, *headers[2:at], "小学学生数", *headers[at:]]
    rows = [[*r[:2], None, *r[2:at], r[at - 1] + 1, *r[at:]] for r in rows]
    path = write_rows(tmp_path / "两列.xlsx", [headers, *rows], merges=("B1:C1",))
    (finding,) = validate(read_school_table([path]), BASIC).findings
    assert finding.code == "E_DUPLICATE_COLUMN" and finding.severity == "error"
    assert (finding.file, finding.sheet, finding.row, finding.column) == (str(path), "学校", 1, "H")
    assert (finding.header, finding.field) == ("小学学生数", "students_primary")
    assert finding.message() == (
        "表头 G1“小学在校生数”与 H1“小学学生数”都对应“小学在校生数”，无法确定该用哪一列"
    )
    assert "G1 '小学在校生数' and H1 '小学学生数' both map to" in finding.message("en")


def test_two_identical_headers_stop_evaluate_and_validate(tmp_path: Path) -> None:
    frame = template_frame(two_schools())
    headers = [*frame.columns, "小学在校生数"]
    rows = [[*r, 1] for r in frame.itertuples(index=False)]
    path = write_rows(tmp_path / "两个在校生数.xlsx", [headers, *rows])
    code, issues = json_issues("validate", str(path))
    assert code == 1
    assert [(i["code"], i["row"], i["column"]) for i in issues] == [("E_DUPLICATE_COLUMN", 1, "AH")]
    assert "F1“小学在校生数”与 AH1“小学在校生数”" in issues[0]["message"]
    for extra in ([], ["--skip-invalid"]):  # a header error: skipping rows cannot get round it
        result = runner.invoke(app, ["evaluate", str(path), "--format", "json", *extra])
        assert result.exit_code == 1
        assert [i["code"] for i in json.loads(result.stdout)["issues"]] == ["E_DUPLICATE_COLUMN"]
    prefilled = tmp_path / "预填"
    result = runner.invoke(app, ["template", "--prefill", str(path), "-o", str(prefilled)])
    assert result.exit_code == 1 and "E_DUPLICATE_COLUMN" in result.stdout
    assert not prefilled.exists()  # not one file per school from a guessed column


def test_batch_lists_a_county_with_a_header_error_and_scores_the_others(tmp_path: Path) -> None:
    """Two columns for one field, or a missing column, in one county of a batch: that county
    is listed with the error and the others are scored (a missing column used to crash the
    whole batch with a KeyError)."""
    folder = tmp_path / "各县"
    folder.mkdir()
    frame = template_frame(two_schools())
    write_sheet_xlsx(frame, folder / "甲县.xlsx", "学校")
    write_sheet_xlsx(frame.drop(columns=["计算机台数"]), folder / "乙县.xlsx", "学校")
    rows = [[*frame.columns, "小学在校生数"], *([*r, 1] for r in frame.itertuples(index=False))]
    write_rows(folder / "丙县.xlsx", rows)
    for extra in ([], ["--skip-invalid"]):
        result = runner.invoke(app, ["batch", str(folder), "--format", "json", "-q", *extra])
        assert result.exit_code == 1, result.output
        summary = {s["county"]: s for s in json.loads(result.stdout)["summary"]}
        assert summary["甲县"]["status"] == "scored" and summary["甲县"]["passed"] is True
        assert summary["乙县"]["status"] == "data_errors"
        assert "缺少必需的列“计算机台数”" in summary["乙县"]["error"]
        assert summary["丙县"]["status"] == "data_errors"
        assert "F1“小学在校生数”与 AH1“小学在校生数”" in summary["丙县"]["error"]


# -- nothing to evaluate ----------------------------------------------------------------------
def test_a_sheet_with_only_its_header_is_nothing_to_evaluate_for_validate_and_evaluate(
    write_county,
) -> None:
    path = write_county([], name="空表.xlsx")
    outcomes = [runner.invoke(app, [command, str(path)]) for command in ("validate", "evaluate")]
    assert [r.exit_code for r in outcomes] == [2, 2]
    message = f"没有可评估的学校：{path}［学校］的表头下没有学校行"
    assert [" ".join(r.stderr.split()) for r in outcomes] == [f"错误：{message}"] * 2
    assert "未发现数据问题" not in outcomes[0].stdout
    as_json = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert as_json.exit_code == 2 and as_json.stdout == ""


def test_schools_all_outside_the_standard_are_nothing_to_evaluate_for_both(write_county) -> None:
    points = [primary_school(f"{n}教学点", 40, type="教学点") for n in "甲乙"]
    path = write_county(points, name="教学点.xlsx")
    outcomes = [runner.invoke(app, [command, str(path)]) for command in ("validate", "evaluate")]
    assert [r.exit_code for r in outcomes] == [2, 2]
    message = f"没有可评估的学校：{path}［学校］的学校行 2 行，其中按标准排除 2 所（教学点）"
    assert [" ".join(r.stderr.split()) for r in outcomes] == [f"错误：{message}"] * 2
