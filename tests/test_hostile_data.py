"""Odd data that used to be accepted quietly (issue #12, item 10): fractional counts, two
columns for one field, a sheet with nothing under its header. Inputs are built here, small."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from helpers import primary_school, template_frame
from junheng_cli.cli import app
from junheng_cli.io.write import write_sheet_xlsx
from junheng_cli.standards import load_standard
from junheng_cli.table import read_school_table
from junheng_cli.validate import validate

BASIC = load_standard("basic-2012")
runner = CliRunner()


def two_schools(**second: Any) -> list[dict[str, Any]]:
    return [primary_school("甲小学", 400), primary_school("乙小学", 300, **second)]


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
