"""政府保障程度 items from school data, and county-level figures (quality-2017)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from helpers import primary_school, template_frame
from junheng_cli.cli.app import app
from junheng_cli.io.write import write_sheets_xlsx

runner = CliRunner()


def evaluate_json(path: Path, *extra: str) -> dict:
    result = runner.invoke(
        app, ["evaluate", str(path), "--standard", "quality-2017", "--format", "json", *extra]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def nine_year(name: str, primary: int, junior: int, **extra) -> dict:
    school = primary_school(name, primary, type="九年一贯制学校", **extra)
    school.update(
        students_junior=junior,
        teachers_junior=junior // 12,
        qualified_teachers_junior=junior // 15,
        senior_title_teachers_junior=junior // 30,
        backbone_teachers_junior=junior // 80,
        pe_arts_teachers_junior=junior // 80,
    )
    return school


def write(path: Path, schools: list[dict], **sheets: pd.DataFrame) -> Path:
    write_sheets_xlsx({"学校": template_frame(schools), **sheets}, path)
    return path


def test_school_size_limits_by_type(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.xlsx",
        [
            primary_school("大小学", 2001),
            primary_school("小学", 2000),
            nine_year("一贯制甲", 1500, 1000),  # 2500: within 2500
            nine_year("一贯制乙", 1500, 1001),  # 2501: over
        ],
    )
    sizes = {c["name"]: c for c in evaluate_json(path)["government"]["school_size"]}
    assert (sizes["大小学"]["limit"], sizes["大小学"]["passed"]) == (2000, False)
    assert sizes["小学"]["passed"] is True
    assert (sizes["一贯制甲"]["students"], sizes["一贯制甲"]["limit"]) == (2500, 2500)
    assert sizes["一贯制甲"]["passed"] is True
    assert sizes["一贯制乙"]["passed"] is False


def test_class_bands_at_55_56_65_66_from_a_class_sheet(tmp_path: Path) -> None:
    classes = pd.DataFrame(
        {
            "学校名称": ["甲小学"] * 6 + ["乙小学"] * 2 + ["无此学校"],
            "学段": ["小学"] * 8 + ["小学"],
            "班级": [f"{i}班" for i in range(1, 10)],
            "学生数": [45, 46, 55, 56, 65, 66, 40, "四十", 50],
        }
    )
    path = write(
        tmp_path / "c.xlsx",
        [primary_school("甲小学", 333), primary_school("乙小学", 80)],
        班级=classes,
    )
    doc = evaluate_json(path)
    classes_doc = doc["government"]["class_size"]
    assert classes_doc["source"] == "班级表"
    (level,) = classes_doc["levels"]
    # counted: 45 46 55 56 65 66 (甲) and 40 (乙); "四十" and the unknown school are not
    assert level["classes"] == 7
    assert level["large"] == 2  # 56, 65
    assert level["huge"] == 1  # 66
    assert level["over_limit"] == 5  # above 45: 46 55 56 65 66
    assert level["large_share"] == pytest.approx(2 / 7)
    first = next(s for s in classes_doc["schools"] if s["name"] == "甲小学")
    assert (first["classes"], first["large"], first["huge"], first["over_limit"]) == (6, 2, 1, 5)
    codes = [i["code"] for i in doc["issues"]]
    assert "W_CLASS_NOT_NUMBER" in codes and "W_CLASS_UNKNOWN_SCHOOL" in codes
    bad = next(i for i in doc["issues"] if i["code"] == "W_CLASS_NOT_NUMBER")
    assert (bad["sheet"], bad["row"], bad["column"]) == ("班级", 9, "D")


def test_junior_limit_is_50(tmp_path: Path) -> None:
    classes = pd.DataFrame(
        {"学校名称": ["一贯制"] * 3, "学段": ["初中"] * 3, "学生数": [50, 51, 45]}
    )
    path = write(tmp_path / "c.xlsx", [nine_year("一贯制", 400, 150)], 班级=classes)
    (level,) = evaluate_json(path)["government"]["class_size"]["levels"]
    assert (level["level"], level["limit"], level["over_limit"]) == ("junior", 50, 1)


def test_class_bands_from_school_columns_and_rooms(tmp_path: Path) -> None:
    schools = [
        primary_school(
            "甲小学", 1200, classes_primary=25, large_classes_primary=3, huge_classes_primary=1,
            music_rooms=3, art_rooms=2,
        ),  # 25 classes → 3 rooms of each kind: art short
        primary_school("乙小学", 480, classes_primary=12, music_rooms=1, art_rooms=1),
        primary_school("丙小学", 300, classes_primary=8, music_rooms=1),  # art not given
    ]  # fmt: skip
    doc = evaluate_json(write(tmp_path / "c.xlsx", schools))
    classes = doc["government"]["class_size"]
    assert classes["source"] == "学校表（班额分档）"
    (level,) = classes["levels"]
    assert (level["classes"], level["large"], level["huge"]) == (45, 3, 1)
    assert level["over_limit"] is None  # bands cannot tell 46–55 from ≤ 45
    rooms = {r["name"]: r for r in doc["government"]["special_rooms"]}
    assert (rooms["甲小学"]["required"], rooms["甲小学"]["passed"]) == (3, False)
    assert (rooms["乙小学"]["required"], rooms["乙小学"]["passed"]) == (1, True)
    assert rooms["丙小学"]["passed"] is None
    assert rooms["丙小学"]["rooms"] == {"music_rooms": 1, "art_rooms": None}


def test_nothing_given_is_not_provided_never_a_failure(tmp_path: Path) -> None:
    doc = evaluate_json(write(tmp_path / "c.xlsx", [primary_school("甲小学", 400)]))
    government = doc["government"]
    assert government["class_size"] is None and government["special_rooms"] is None
    assert all(i["value"] is None and i["passed"] is None for i in doc["county_items"])
    table = runner.invoke(app, ["evaluate", str(tmp_path / "c.xlsx"), "--standard", "quality-2017"])
    assert "班额：未提供" in table.stdout and "社会认可度" in table.stdout


def test_county_items_from_a_sheet_and_a_yaml_file(tmp_path: Path) -> None:
    items = pd.DataFrame(
        {"指标": ["初中三年巩固率", "残疾儿童少年入学率", "不存在的指标", "社会认可度"],
         "数值": ["95%", 94.9, 1, "很好"]}
    )  # fmt: skip
    path = write(tmp_path / "c.xlsx", [primary_school("甲小学", 400)], 县级指标=items)
    doc = evaluate_json(path)
    by_id = {i["id"]: i for i in doc["county_items"]}
    assert (by_id["retention_junior"]["value"], by_id["retention_junior"]["passed"]) == (95, True)
    assert by_id["disabled_enrollment"]["passed"] is False
    assert by_id["social_recognition"]["value"] is None
    codes = {i["code"] for i in doc["issues"]}
    assert {"W_UNKNOWN_COUNTY_ITEM", "W_COUNTY_NOT_NUMBER"} <= codes
    extra = tmp_path / "县级.yaml"
    extra.write_text("social_recognition: 88.5\n特殊教育学校生均公用经费: 5800\n", encoding="utf-8")
    doc = evaluate_json(path, "--county-items", str(extra))
    by_id = {i["id"]: i for i in doc["county_items"]}
    assert (by_id["social_recognition"]["value"], by_id["social_recognition"]["passed"]) == (
        88.5,
        True,
    )
    assert by_id["special_ed_funding"]["passed"] is False


def test_basic_2012_has_no_government_section(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.xlsx", [primary_school("甲小学", 400), primary_school("乙小学", 300)]
    )
    result = runner.invoke(app, ["evaluate", str(path), "--format", "json"])
    doc = json.loads(result.stdout)
    assert doc["government"] is None and doc["county_items"] == []


def test_county_items_typed_as_excel_percentages(tmp_path: Path) -> None:
    items = pd.DataFrame(
        {"指标": ["初中三年巩固率", "特殊教育学校生均公用经费"], "数值": [0.962, 6500]}
    )
    path = write(tmp_path / "c.xlsx", [primary_school("甲小学", 400)], 县级指标=items)
    doc = evaluate_json(path)
    by_id = {i["id"]: i for i in doc["county_items"]}
    assert by_id["retention_junior"]["value"] == pytest.approx(96.2)
    assert by_id["retention_junior"]["passed"] is True
    assert by_id["special_ed_funding"]["value"] == 6500  # not a percentage: unchanged
    (warning,) = [i for i in doc["issues"] if i["code"] == "W_COUNTY_PERCENT"]
    assert (warning["sheet"], warning["row"], warning["column"]) == ("县级指标", 2, "B")
    assert "96.20%" in warning["message"]


def test_mapping_and_county_files_saved_in_gbk(tmp_path: Path) -> None:
    path = write(tmp_path / "c.xlsx", [primary_school("甲小学", 400)])
    extra = tmp_path / "县级.yaml"
    extra.write_bytes("社会认可度: 90\n".encode("gbk"))
    doc = evaluate_json(path, "--county-items", str(extra))
    assert {i["id"]: i for i in doc["county_items"]}["social_recognition"]["value"] == 90


def test_a_class_sheet_listing_some_schools_keeps_the_others_band_counts(tmp_path: Path) -> None:
    classes = pd.DataFrame(
        {
            "学校名称": ["甲小学"] * 3 + ["某村教学点"],
            "学段": ["小学"] * 4,
            "学生数": [44, 57, 67, 9],
        }
    )
    schools = [
        primary_school("甲小学", 168, classes_primary=3),
        primary_school("乙小学", 600, classes_primary=12, large_classes_primary=2),
        {"name": "某村教学点", "type": "特殊教育学校", "students_primary": 9},
    ]
    doc = evaluate_json(write(tmp_path / "c.xlsx", schools, 班级=classes))
    classes_doc = doc["government"]["class_size"]
    (level,) = classes_doc["levels"]
    # 甲 from the class sheet (3 classes: one 56–65, one 66+); 乙 from its band counts
    assert (level["classes"], level["large"], level["huge"]) == (15, 3, 1)
    assert level["over_limit"] is None  # 乙's classes over 45 are not known
    assert "其余学校" in classes_doc["source"]
    assert not [i for i in doc["issues"] if i["code"] == "W_CLASS_UNKNOWN_SCHOOL"]


def test_county_items_with_a_standard_that_has_none_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.xlsx", [primary_school("甲小学", 400), primary_school("乙小学", 300)]
    )
    extra = tmp_path / "县级.yaml"
    extra.write_text("社会认可度: 90\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(path), "--county-items", str(extra)])
    assert result.exit_code == 2 and "没有县级指标" in result.stderr
