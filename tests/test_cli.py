"""The command line: contract, exit codes, errors a user can act on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import SAMPLE, primary_school
from junheng_cli.cli.app import app

runner = CliRunner()

LEVEL_KEYS = {
    "level",
    "name",
    "schools",
    "students",
    "indicators",
    "composite_cv",
    "composite_limit",
    "passed",
}
INDICATOR_KEYS = {"id", "name", "unit", "mean", "sd", "cv", "limit", "passed"}
SCHOOL_KEYS = {"code", "name", "type", "level", "students", "share", "values"}
BASIC_IDS = [
    "teaching_area_per_student",
    "sports_area_per_student",
    "equipment_value_per_student",
    "computers_per_100",
    "books_per_student",
    "teachers_per_student",
    "qualified_teachers_per_student",
    "senior_title_teachers_per_student",
]


def test_json_contract_on_the_sample() -> None:
    result = runner.invoke(
        app, ["evaluate", str(SAMPLE), "--standard", "basic-2012", "--format", "json"]
    )
    assert result.exit_code == 0
    doc = json.loads(result.stdout)  # stdout holds the JSON and nothing else
    assert doc["standard"]["id"] == "basic-2012"
    assert {"name", "version"} <= set(doc["standard"])
    assert [lv["name"] for lv in doc["levels"]] == ["小学", "初中"]
    for level in doc["levels"]:
        assert set(level) >= LEVEL_KEYS
        assert [i["id"] for i in level["indicators"]] == BASIC_IDS
        for ind in level["indicators"]:
            assert set(ind) >= INDICATOR_KEYS
            assert isinstance(ind["cv"], float)
        assert level["composite_limit"] == {"primary": 0.65, "junior": 0.55}[level["level"]]
    for school in doc["schools"]:
        assert set(school) >= SCHOOL_KEYS
        assert set(school["values"]) == set(BASIC_IDS)
    for excluded in doc["excluded"]:
        assert {"code", "name", "type", "reason"} <= set(excluded)
    assert doc["issues"] == []


def test_table_report_is_chinese_and_shows_verdicts() -> None:
    result = runner.invoke(app, ["evaluate", str(SAMPLE), "--detail"])
    assert result.exit_code == 0
    out = result.stdout
    for text in (
        "全县平均值",
        "标准差",
        "差异系数",
        "小学综合差异系数",
        "初中综合差异系数",
        "达标",
        "拆分学校",
        "排除的学校",
        "拉高差异系数最多的学校",
    ):
        assert text in out, text


def test_missing_file_exits_2_with_a_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["evaluate", str(tmp_path / "无此文件.xlsx")])
    assert result.exit_code == 2
    assert "文件不存在" in result.stderr and "无此文件.xlsx" in result.stderr


def test_not_a_workbook_exits_2(tmp_path: Path) -> None:
    fake = tmp_path / "假的.xlsx"
    fake.write_text("这不是工作簿", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(fake)])
    assert result.exit_code == 2
    assert "并非 Excel 工作簿" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_standard_exits_2() -> None:
    result = runner.invoke(app, ["evaluate", str(SAMPLE), "--standard", "no-such"])
    assert result.exit_code == 2
    assert "未知的评估标准" in result.stderr and "basic-2012" in result.stderr


def test_usage_error_exits_2() -> None:
    result = runner.invoke(app, ["evaluate", str(SAMPLE), "--format", "pdf"])
    assert result.exit_code == 2


def test_data_errors_exit_1_with_located_issues_and_no_verdict(write_county) -> None:
    path = write_county(
        [
            primary_school("甲小学", 400),
            primary_school("乙小学", 300, books="很多"),
        ]
    )
    result = runner.invoke(app, ["evaluate", str(path), "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["levels"] == [] and doc["passed"] is None
    (issue,) = doc["issues"]
    assert issue["code"] == "E_NOT_NUMBER"
    assert (issue["row"], issue["column"], issue["header"]) == (3, "W", "图书册数")
    assert issue["value"] == "很多" and issue["severity"] == "error"
    table = runner.invoke(app, ["evaluate", str(path)])
    assert table.exit_code == 1
    assert "未给出结论" in table.stdout and "E_NOT_NUMBER" in table.stdout


def test_skip_invalid_evaluates_the_rest_and_marks_partial(write_county) -> None:
    path = write_county(
        [
            primary_school("甲小学", 400),
            primary_school("乙小学", 300, books=-5),
            primary_school("丙小学", 200, books=9000),
        ]
    )
    result = runner.invoke(app, ["evaluate", str(path), "--format", "json", "--skip-invalid"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["partial"] is True
    (skipped,) = doc["skipped"]
    assert (skipped["name"], skipped["sheet"], skipped["row"]) == ("乙小学", "学校", 3)
    assert "不能为负数" in skipped["errors"][0]
    assert doc["rows"]["skipped"] == 1
    assert [s["name"] for s in doc["schools"]] == ["甲小学", "丙小学"]
    assert doc["issues"][0]["code"] == "E_NEGATIVE"


def test_standards_lists_basic_2012() -> None:
    result = runner.invoke(app, ["standards"])
    assert result.exit_code == 0
    assert "basic-2012" in result.stdout and "综合差异系数" in result.stdout


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "junheng_cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("junheng ")


def test_skip_invalid_with_no_valid_row_gives_no_verdict(write_county) -> None:
    path = write_county(
        [primary_school("甲小学", 400, books=-1), primary_school("乙小学", 300, books="x")]
    )
    result = runner.invoke(app, ["evaluate", str(path), "--skip-invalid"])
    assert result.exit_code == 1
    assert "没有无误的学校行可以评估" in result.stdout


def test_a_county_without_junior_schools_is_judged_on_its_primary_level(write_county) -> None:
    path = write_county([primary_school("甲小学", 400), primary_school("乙小学", 300, books=2000)])
    result = runner.invoke(app, ["evaluate", str(path), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    primary, junior = doc["levels"]
    assert junior["schools"] == 0 and junior["passed"] is None and junior["composite_cv"] is None
    # books: X = 30, 2000/300; mean = 14000/700 = 20; S² = 4/7·10² + 3/7·(40/3)²; CV = S/20
    books = next(i for i in primary["indicators"] if i["id"] == "books_per_student")
    expected = ((4 / 7) * 100 + (3 / 7) * (40 / 3) ** 2) ** 0.5 / 20
    assert books["cv"] == pytest.approx(expected, rel=1e-12)
    assert doc["passed"] is True
