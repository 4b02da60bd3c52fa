"""Collection templates (``junheng template``) and merging returned files (``junheng collect``).

The round trip is tested for real: the template is written, filled in with openpyxl with
numbers chosen here, and evaluated with no mapping; a collection folder with good, blank,
duplicated and unreadable returns is merged and its account checked line by line.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import examples, primary_school, write_county_file
from junheng_cli.cli.app import app
from junheng_cli.io.sheet_table import read_school_table
from junheng_cli.model.fields import template_columns
from junheng_cli.report.xlsx.template import write_template
from junheng_cli.standards.model import load_standard
from junheng_cli.workflows.collect import (
    FILE,
    FILE_ROW,
    SHEET,
    Collection,
    Status,
    collect,
    mark_duplicates,
    school_keys,
)
from junheng_cli.workflows.template import build_template, safe_file_stem, school_file_names

runner = CliRunner()
QUALITY = load_standard("quality-2017")


# -- helpers ----------------------------------------------------------------------------------
def write_quality_template(path: Path) -> Path:
    write_template(build_template(QUALITY), path)
    return path


def fill(path: Path, schools: list[dict[str, Any]], headers: dict[str, str] | None = None) -> Path:
    """Type schools into the 学校 sheet of a written template, by template header text
    (``headers`` renames a header first, as a school might)."""
    workbook = openpyxl.load_workbook(path)
    ws = workbook["学校"]
    for cell in ws[1]:
        if headers and cell.value in headers:
            cell.value = headers[cell.value]
    column = {cell.value: cell.column for cell in ws[1]}
    for r, school in enumerate(schools, start=2):
        for header, value in school.items():
            ws.cell(row=r, column=column[header], value=value)
    workbook.save(path)
    return path


def school(name: str, code: str | None, students: int, **by_header: Any) -> dict[str, Any]:
    """A 小学 under quality-2017, by template header; every figure is a simple multiple of the
    students so that the hand arithmetic below stays short."""
    row: dict[str, Any] = {
        "学校名称": name,
        "学校类型": "小学",
        "小学在校生数": students,
        "小学专任教师数": students // 10,
        "小学高于规定学历教师数": students // 20,
        "小学县级以上骨干教师数": students // 50,
        "小学体育艺术专任教师数": students // 50,
        "教学及辅助用房面积（㎡）": students * 5,
        "体育馆面积（㎡）": 0,
        "运动场地面积（㎡）": students * 8,
        "教学仪器设备值（元）": students * 2500,
        "网络多媒体教室数（间）": students // 25,
    }
    if code is not None:
        row["学校标识码"] = code
    row.update(by_header)
    return row


def junior(name: str, code: str, students: int) -> dict[str, Any]:
    return {
        "学校标识码": code,
        "学校名称": name,
        "学校类型": "初中",
        "初中在校生数": students,
        "初中专任教师数": students // 10,
        "初中高于规定学历教师数": students // 20,
        "初中县级以上骨干教师数": students // 50,
        "初中体育艺术专任教师数": students // 50,
        "教学及辅助用房面积（㎡）": students * 6,
        "体育馆面积（㎡）": 0,
        "运动场地面积（㎡）": students * 11,
        "教学仪器设备值（元）": students * 3000,
        "网络多媒体教室数（间）": students // 25,
    }


def evaluate_json(path: Path) -> dict[str, Any]:
    result = runner.invoke(
        app, ["evaluate", str(path), "--standard", "quality-2017", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def level(doc: dict[str, Any], key: str) -> dict[str, float]:
    found = next(lv for lv in doc["levels"] if lv["level"] == key)
    return {ind["id"]: ind["cv"] for ind in found["indicators"]}


# -- which columns ----------------------------------------------------------------------------
def test_columns_follow_the_standard() -> None:
    quality = [c.header for c in build_template(QUALITY).columns]
    basic = [c.header for c in build_template(load_standard("basic-2012")).columns]
    # quality-2017 needs 骨干 and 体艺 teachers, no 图书 or 计算机 (those are 2012 indicators)
    assert "小学县级以上骨干教师数" in quality and "初中体育艺术专任教师数" in quality
    assert "图书册数（册）" not in quality and "计算机台数（台）" not in quality
    assert "小学中级及以上职称教师数" not in quality
    # its 政府保障程度 items: class bands per level and music / art rooms
    assert "小学大班额班级数（个）" in quality and "美术专用教室数（间）" in quality
    assert "图书册数（册）" in basic and "小学中级及以上职称教师数" in basic
    assert "小学县级以上骨干教师数" not in basic and "小学班级数（个）" not in basic
    # 高中在校生数: a 完全中学 is split by its 高中 students, so every standard asks for it
    assert "高中在校生数" in quality and "高中在校生数" in basic
    assert [c.header for c in build_template(None).columns] == [
        c.header_with_unit for c in template_columns()
    ]


def test_template_workbook_has_dropdowns_validation_and_no_example_row(tmp_path: Path) -> None:
    path = write_quality_template(tmp_path / "模板.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["学校", "填表说明"]
    ws = workbook["学校"]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in build_template(QUALITY).columns]
    assert ws.max_row == 1 or all(c.value is None for row in ws.iter_rows(min_row=2) for c in row)
    assert ws.freeze_panes == "C2"  # header row and 学校标识码, 学校名称 stay in view
    letter = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(headers, start=1)}
    assert ws[f"{letter['学校标识码']}2"].number_format == "@"

    def rule(header: str) -> Any:
        target = f"{letter[header]}2:{letter[header]}1048576"
        found = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == target]
        assert len(found) == 1, header
        return found[0]

    types = rule("学校类型")
    assert types.type == "list"
    assert types.formula1 == '"' + ",".join(QUALITY.school_types) + '"'
    assert "九年一贯制学校" in types.formula1 and types.error.startswith("请从下拉列表中选择")
    assert rule("城乡类型").formula1 == '"城区,镇区,乡村"'
    students = rule("小学在校生数")
    assert (students.type, students.operator, students.formula1) == (
        "whole",
        "greaterThanOrEqual",
        "0",
    )
    assert "整数" in students.error
    area = rule("教学及辅助用房面积（㎡）")
    assert (area.type, area.operator, area.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert rule("教学仪器设备值（元）").type == "decimal"
    assert "元（不是万元）" in rule("教学仪器设备值（元）").prompt
    # the worked example is on 填表说明, one line per column
    notes = workbook["填表说明"]
    lines = {row[0]: row for row in notes.iter_rows(values_only=True) if row[0] in headers}
    assert lines["学校名称"][4] == "示例县第一九年一贯制学校（虚构）"
    assert lines["小学在校生数"][4] == 480 and lines["小学在校生数"][2] == "有该学段的学校必填"


def test_instructions_sheet_is_never_read_as_schools(tmp_path: Path) -> None:
    path = fill(write_quality_template(tmp_path / "回报.xlsx"), [school("甲小学", "1", 100)])
    table = read_school_table([path])
    assert [s.sheet for s in table.sheets] == ["学校"]
    assert table.unused_sheets == [(str(path), "填表说明")]
    assert table.frame["name"].tolist() == ["甲小学"]  # not the example school


# -- the round trip ---------------------------------------------------------------------------
def test_filled_template_evaluates_with_no_mapping(tmp_path: Path) -> None:
    path = fill(
        write_quality_template(tmp_path / "回报.xlsx"),
        [
            school("甲小学", "2100000001", 400),
            school("乙小学", "2100000002", 100, **{"教学及辅助用房面积（㎡）": 800}),
            junior("丙中学", "2100000003", 200),
        ],
    )
    doc = evaluate_json(path)
    assert doc["sources"][0]["ignored_headers"] == []  # every header was recognised
    assert [s["name"] for s in doc["schools"]] == ["甲小学", "乙小学", "丙中学"]
    # 教学用房, 小学: X = 2000/400 = 5 and 800/100 = 8; mean = 2800/500 = 5.6;
    # S² = 0.8·(5 − 5.6)² + 0.2·(8 − 5.6)² = 0.288 + 1.152 = 1.44, S = 1.2; CV = 1.2/5.6 = 3/14
    assert level(doc, "primary")["teaching_area_per_student"] == pytest.approx(3 / 14, abs=1e-12)
    # 仪器设备 of 甲小学: 400 × 2500 元 / 400 = 2500 元 per student
    jia = doc["schools"][0]
    assert jia["values"]["equipment_value_per_student"] == pytest.approx(2500.0)
    # 体育场馆 of 丙中学: (0 + 200 × 11) / 200 = 11 ㎡ per student
    assert doc["schools"][2]["values"]["sports_area_per_student"] == pytest.approx(11.0)


def three_school_county(path: Path) -> Path:
    schools = [
        primary_school("甲/小学", 400, code="2100000001", equipment_value=1_000_000.0),
        primary_school("乙小学", 120, equipment_value=300_000.0),
        primary_school("丙小学", 250, code="2100000003", teaching_area=900.0),
    ]
    for s in schools:  # the 2017 standard needs 骨干 and 体艺 teachers; primary_school has them
        s["pe_arts_teachers_primary"] = max(1, s["students_primary"] // 80)
    return write_county_file(path, schools)


def test_prefill_one_file_per_school_and_back_again(tmp_path: Path) -> None:
    last = three_school_county(tmp_path / "上期.xlsx")
    out = tmp_path / "预填"
    args = ["template", "--standard", "quality-2017", "--prefill", str(last), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    # named 学校标识码_学校名称, the name made safe ("/" is not allowed in a file name)
    assert sorted(p.name for p in out.iterdir()) == [
        "2100000001_甲_小学.xlsx",
        "2100000003_丙小学.xlsx",
        "乙小学.xlsx",
    ]
    ws = openpyxl.load_workbook(out / "2100000001_甲_小学.xlsx")["学校"]
    row = {ws.cell(1, c).value: ws.cell(2, c).value for c in range(1, ws.max_column + 1)}
    assert row["学校名称"] == "甲/小学" and row["学校标识码"] == "2100000001"
    assert row["小学在校生数"] == 400 and row["教学仪器设备值（元）"] == 1_000_000
    assert row["教学及辅助用房面积（㎡）"] == 2000  # primary_school: 400 × 5.0
    assert all(ws.cell(3, c).value is None for c in range(1, ws.max_column + 1))

    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output

    # returned unchanged, collected, evaluated: the same numbers as last period's workbook
    merged = tmp_path / "全县.xlsx"
    collected = runner.invoke(app, ["collect", str(out), "-o", str(merged), "-s", "quality-2017"])
    assert collected.exit_code == 0, collected.output
    before, after = evaluate_json(last), evaluate_json(merged)
    assert level(after, "primary") == pytest.approx(level(before, "primary"), abs=1e-12)
    # 乙小学 is the only one without a code: files are read in name order, so it comes last
    assert [s["name"] for s in after["schools"]] == ["甲/小学", "丙小学", "乙小学"]


def test_prefill_refuses_when_a_school_appears_twice(tmp_path: Path) -> None:
    twice = [primary_school("甲小学", 300), primary_school("甲小学", 200)]
    last = write_county_file(tmp_path / "上期.xlsx", twice)
    out = tmp_path / "预填"
    result = runner.invoke(app, ["template", "--prefill", str(last), "-o", str(out)])
    assert result.exit_code == 1
    assert "上期数据有上列问题" in result.output and not out.exists()


# -- collecting -------------------------------------------------------------------------------
@pytest.fixture
def returns(tmp_path: Path) -> dict[str, Path]:
    """A folder as an analyst gets it back: two good returns (one with 万元 in a header), the
    second sent twice, 甲 sent twice with different figures, a school that typed only its
    name, a PDF and a file that is not a workbook at all; and last period's roster."""
    folder = tmp_path / "回收"
    (folder / "柳河镇").mkdir(parents=True)
    jia = fill(write_quality_template(folder / "甲.xlsx"), [school("甲小学", "1001", 400)])
    shutil.copy(jia, folder / "甲-改.xlsx")
    fill(folder / "甲-改.xlsx", [{"教学及辅助用房面积（㎡）": 2400}])
    yi_row = school("乙小学", "1002", 100)
    yi_row["教学仪器设备值（万元）"] = yi_row.pop("教学仪器设备值（元）") / 10_000  # 25
    yi = fill(
        write_quality_template(folder / "柳河镇" / "乙.xlsx"),
        [yi_row],
        headers={"教学仪器设备值（元）": "教学仪器设备值（万元）"},
    )
    shutil.copy(yi, folder / "乙-再发.xlsx")
    fill(write_quality_template(folder / "丁.xlsx"), [{"学校名称": "丁小学", "学校类型": "小学"}])
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4")
    (folder / "损坏.xlsx").write_bytes(b"this is not a zip archive")
    roster = write_county_file(
        tmp_path / "上期.xlsx",
        [
            primary_school("甲小学", 390, code="1001"),
            primary_school("乙小学", 95, code="1002"),
            primary_school("丙小学", 150, code="1003"),
            primary_school("丁小学", 80, code="1004"),
        ],
    )
    return {"folder": folder, "roster": roster}


def account(result: Collection) -> list[tuple[str, str, str]]:
    return [(e.status.value, e.file, e.name) for e in result.entries]


def test_collect_accounts_for_every_file_and_row(returns: dict[str, Path]) -> None:
    result = collect(returns["folder"], QUALITY, returns["roster"])
    assert account(result) == [
        ("未填写", "丁.xlsx", "丁小学"),
        ("已合并", "乙-再发.xlsx", "乙小学"),
        ("无法读取", "损坏.xlsx", ""),
        ("重复（内容相同）", "柳河镇/乙.xlsx", "乙小学"),
        ("重复（内容不同）", "甲-改.xlsx", "甲小学"),
        ("重复（内容不同）", "甲.xlsx", "甲小学"),
        ("已跳过", "说明.pdf", ""),
        ("未交", "", "丙小学"),
    ]
    assert result.workbooks == 6 and result.needs_attention
    merged = result.merged
    assert merged["name"].tolist() == ["乙小学"]
    # the school wrote 25 under 教学仪器设备值（万元）: merged in the template's 元
    assert merged["equipment_value"].tolist() == [250_000.0]
    assert merged[[FILE, SHEET, FILE_ROW]].values.tolist() == [["乙-再发.xlsx", "学校", 2]]
    details = {(e.status, e.file): e.detail for e in result.entries}
    conflict = details[(Status.CONFLICT, "甲.xlsx")]
    assert "甲-改.xlsx［学校］第 2 行" in conflict and "教学及辅助用房面积" in conflict
    # files are read in name order: the first copy is merged, the second one listed
    assert "乙-再发.xlsx［学校］第 2 行" in details[(Status.SAME, "柳河镇/乙.xlsx")]
    assert "文件已损坏" in details[(Status.UNREADABLE, "损坏.xlsx")]
    # 丁 returned something (a name only), so it is 未填写, not 未交
    assert "上期.xlsx 第 4 行" in details[(Status.MISSING, "")]


def test_collect_cli_writes_merged_workbook_that_evaluates(
    returns: dict[str, Path], tmp_path: Path
) -> None:
    (returns["folder"] / "甲-改.xlsx").unlink()  # the analyst removes the outdated copy
    target = tmp_path / "全县.xlsx"
    args = [
        "collect",
        str(returns["folder"]),
        "-o",
        str(target),
        "--roster",
        str(returns["roster"]),
    ]
    result = runner.invoke(app, [*args, "--standard", "quality-2017"])
    assert result.exit_code == 1  # 丁 blank, 损坏 unreadable, 丙 missing: needs attention
    assert (
        "合计：已合并 2，未填写 1，重复（内容相同） 1，无法读取 1，未交 1，已跳过 1"
        in result.output
    )
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["学校", "收集情况"]
    headers = [c.value for c in workbook["学校"][1]]
    assert headers[-3:] == ["来源文件", "来源工作表", "来源行"]
    statuses = [r[0] for r in workbook["收集情况"].iter_rows(min_row=2, values_only=True)]
    assert statuses.count("已合并") == 2 and statuses.count("未交") == 1
    # the merged workbook evaluates as it is; 来源… columns are listed as unused, not errors
    doc = evaluate_json(target)
    assert [s["name"] for s in doc["schools"]] == ["乙小学", "甲小学"]
    assert [h["header"] for h in doc["sources"][0]["ignored_headers"]] == headers[-3:]
    # 甲 400 students, 2000 ㎡; 乙 100 students, 500 ㎡: both 5 ㎡ per student, CV 0
    assert level(doc, "primary")["teaching_area_per_student"] == pytest.approx(0.0, abs=1e-12)
    # 仪器设备: 甲 1,000,000 元 and 乙 250,000 元 (25 万元): 2500 per student each, CV 0
    assert level(doc, "primary")["equipment_value_per_student"] == pytest.approx(0.0, abs=1e-12)
    again = runner.invoke(app, [*args, "--standard", "quality-2017"])
    assert again.exit_code == 2 and "--force" in again.output


def test_collect_with_a_standard_lists_cells_left_empty(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    partial = school("甲小学", "1001", 400, **{"小学县级以上骨干教师数": None})
    fill(write_quality_template(folder / "甲.xlsx"), [partial])
    checked = collect(folder, QUALITY)
    assert [(e.status, e.name) for e in checked.entries] == [(Status.INCOMPLETE, "甲小学")]
    assert checked.entries[0].detail.startswith("K2 “小学县级以上骨干教师数”未填写")
    assert checked.merged["name"].tolist() == ["甲小学"]  # merged, so evaluate points at it
    unchecked = collect(folder)  # without a standard only names, types and numbers
    assert [e.status for e in unchecked.entries] == [Status.MERGED]


def test_collect_keeps_a_cell_that_is_not_a_number_as_typed(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    typo = school("甲小学", "1001", 400, **{"运动场地面积（㎡）": "3200平米"})
    fill(write_quality_template(folder / "甲.xlsx"), [typo])
    result = collect(folder, QUALITY)
    assert result.entries[0].status is Status.INVALID
    assert "“运动场地面积（㎡）”应为数字" in result.entries[0].detail
    assert result.merged["sports_ground_area"].tolist() == ["3200平米"]
    assert result.merged["teaching_area"].tolist() == [2000.0]


def test_collect_output_inside_the_folder_is_not_read_back(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    fill(write_quality_template(folder / "甲.xlsx"), [school("甲小学", "1001", 400)])
    target = folder / "全县.xlsx"
    args = ["collect", str(folder), "-o", str(target), "-s", "quality-2017", "--force"]
    assert runner.invoke(app, args).exit_code == 0
    again = collect(folder, QUALITY, output=target)  # a second run, the first output present
    assert [(e.status, e.file) for e in again.entries] == [
        (Status.MERGED, "甲.xlsx"),
        (Status.SKIPPED, "全县.xlsx"),
    ]
    assert again.entries[1].detail == "本次合并的输出文件，不作为回收文件读取"
    assert runner.invoke(app, args).exit_code == 0  # still one 甲, no duplicate


def test_nothing_readable_still_gives_a_workbook_with_the_template_header(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    (folder / "损坏.xlsx").write_bytes(b"not a workbook")
    target = tmp_path / "全县.xlsx"
    result = runner.invoke(app, ["collect", str(folder), "-o", str(target), "-s", "quality-2017"])
    assert result.exit_code == 1 and "无法读取 1" in result.output
    headers = [c.value for c in openpyxl.load_workbook(target)["学校"][1]]
    assert headers == [c.header for c in build_template(QUALITY).columns] + [
        "来源文件",
        "来源工作表",
        "来源行",
    ]


def test_blank_template_returned_unchanged_is_not_filled_in(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    write_quality_template(folder / "空白.xlsx")
    result = collect(folder, QUALITY)
    assert [e.status for e in result.entries] == [Status.BLANK]
    checked = runner.invoke(app, ["validate", str(folder / "空白.xlsx")])
    assert checked.exception is None or isinstance(checked.exception, SystemExit)
    assert "Traceback" not in checked.output


def test_collect_cli_refuses_a_folder_without_workbooks(tmp_path: Path) -> None:
    (tmp_path / "空").mkdir()
    result = runner.invoke(app, ["collect", str(tmp_path / "空"), "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "没有工作簿" in result.output
    missing = runner.invoke(app, ["collect", str(tmp_path / "无"), "-o", str(tmp_path / "x.xlsx")])
    assert missing.exit_code == 2 and "不是文件夹" in missing.output


# -- laws -------------------------------------------------------------------------------------
@pytest.mark.slow
@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "1001", "1002"]),
            st.sampled_from(["甲", "乙", "丙"]),
            st.sampled_from([1.0, 2.0, None]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_each_school_is_merged_at_most_once_and_only_when_its_copies_agree(
    rows: list[tuple[str, str, float | None]],
) -> None:
    frame = pd.DataFrame(
        {
            "code": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "type": "小学",
            "books": [r[2] for r in rows],
            FILE: [f"{i}.xlsx" for i in range(len(rows))],
            SHEET: "学校",
            FILE_ROW: 2,
            "_status": Status.MERGED,
            "_detail": "",
        }
    )
    marked = mark_duplicates(frame, ["type", "books"])
    assert len(marked) == len(frame)  # nothing dropped: every row keeps a status
    keys = school_keys(frame["code"], frame["name"])
    assert not keys[marked["_status"] == Status.MERGED].duplicated().any()
    for key in keys.unique():
        group = marked[keys == key]
        values = {None if pd.isna(v) else v for v in group["books"]}
        merged = int((group["_status"] == Status.MERGED).sum())
        if len(group) == 1:
            assert merged == 1
        elif len(values) == 1:  # copies agree: the first merged, the others 重复（内容相同）
            assert merged == 1 and group["_status"].iloc[0] == Status.MERGED
            assert (group["_status"].iloc[1:] == Status.SAME).all()
        else:  # copies differ: none merged, every copy listed
            assert merged == 0 and (group["_status"] == Status.CONFLICT).all()


@given(st.text(max_size=200))
def test_safe_file_stems(text: str) -> None:
    stem = safe_file_stem(text)
    assert stem and len(stem) <= 81  # 80, plus "_" in front of a reserved device name
    assert not re.search(r'[\\/:*?"<>|\x00-\x1f\x7f]', stem)
    assert stem == stem.strip(" .") or stem.startswith("_")
    assert safe_file_stem(stem) == stem


def test_file_names_are_unique_whatever_the_schools_are_called() -> None:
    rows = [
        {"code": "1", "name": "甲"},
        {"code": "1", "name": "甲"},
        {"code": None, "name": "乙:分校"},
        {"code": "", "name": "乙_分校"},
        {"code": None, "name": "CON"},
    ]
    assert school_file_names(rows) == [
        "1_甲.xlsx",
        "1_甲-2.xlsx",
        "乙_分校.xlsx",
        "乙_分校-2.xlsx",
        "_CON.xlsx",
    ]


# -- every row accounted, remarks, county items, narrow errors, formats, 填表说明 ------------------
def test_blank_total_and_note_rows_each_get_a_line_and_are_not_merged(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    path = fill(
        write_quality_template(folder / "甲.xlsx"),
        [school("甲小学", "1001", 400), {}, school("乙小学", "1002", 100)],
    )
    workbook = openpyxl.load_workbook(path)
    ws = workbook["学校"]
    ws.cell(row=5, column=2, value="合计")  # 学校名称 column: a 合计 row under the schools
    ws.cell(row=5, column=6, value=500)  # 小学在校生数 400 + 100
    ws.cell(row=6, column=1, value="注：本表由教务处填写")
    workbook.save(path)
    result = collect(folder, QUALITY)
    lines = [(e.status.value, e.row, e.name) for e in result.entries]
    # rows 2–6 of the file, in order: school, blank, school, 合计, note
    assert lines == [
        ("已合并", 2, "甲小学"),
        ("非学校行", 3, ""),
        ("已合并", 4, "乙小学"),
        ("非学校行", 5, ""),
        ("非学校行", 6, ""),
    ]
    details = [e.detail for e in result.entries if e.status is Status.NOT_SCHOOL]
    assert details[0].startswith("空行") and details[1].startswith("合计")
    assert details[2].startswith("注释行")
    assert result.merged["name"].tolist() == ["甲小学", "乙小学"]
    assert not result.needs_attention  # nothing for the analyst: exit 0


def test_a_value_ten_times_off_the_median_is_a_remark_and_still_merged(tmp_path: Path) -> None:
    # Four schools at 2,500 元 per pupil (school() gives 2500 × students); 戊 typed its
    # 1,000,000 元 in 万元 under the 元 header: 100 元 for 400 pupils = 0.25 元 per pupil.
    # Median per pupil of the five = 2,500; 0.25 ≤ 2,500 / 10, so 戊 gets a remark.
    folder = tmp_path / "回收"
    folder.mkdir()
    for n, name in enumerate(("甲", "乙", "丙", "丁"), start=1):
        fill(
            write_quality_template(folder / f"{name}.xlsx"), [school(f"{name}小学", f"100{n}", 400)]
        )
    wrong = school("戊小学", "1005", 400, **{"教学仪器设备值（元）": 100})
    fill(write_quality_template(folder / "戊.xlsx"), [wrong])
    result = collect(folder, QUALITY)
    by_name = {e.name: e for e in result.entries}
    assert by_name["戊小学"].status is Status.MERGED
    assert "提醒" in by_name["戊小学"].detail and "教学仪器设备值" in by_name["戊小学"].detail
    assert all(by_name[f"{n}小学"].detail == "" for n in "甲乙丙丁")
    assert len(result.merged) == 5
    # the same remark without --standard (only names, types and numbers are checked then)
    plain = {e.name: e for e in collect(folder).entries}
    assert "提醒" in plain["戊小学"].detail and plain["甲小学"].detail == ""
    printed = runner.invoke(app, ["collect", str(folder), "-o", str(tmp_path / "全县.xlsx")])
    assert printed.exit_code == 0, printed.output
    assert "1 行的数字明显偏离全县中位数" in printed.output


def test_roster_county_items_are_not_carried_over_and_the_cli_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    fill(write_quality_template(folder / "甲.xlsx"), [school("甲小学", "1001", 400)])
    roster = write_county_file(tmp_path / "上期.xlsx", [primary_school("甲小学", 390, code="1001")])
    workbook = openpyxl.load_workbook(roster)
    items = workbook.create_sheet("县级指标")
    items.append(["指标", "数值"])
    items.append(["义务教育巩固率", 96.5])
    workbook.save(roster)
    output = tmp_path / "全县.xlsx"
    result = runner.invoke(
        app, ["collect", str(folder), "-o", str(output), "--roster", str(roster)]
    )
    assert result.exit_code == 0, result.output
    assert "县级指标" in result.output and "--county-items" in result.output
    assert openpyxl.load_workbook(output).sheetnames == ["学校", "收集情况"]


def test_the_missing_list_is_capped_in_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    fill(write_quality_template(folder / "甲.xlsx"), [school("甲小学", "1001", 400)])
    # 25 roster schools besides 甲 returned nothing: 20 named, the rest in the sheet
    others = [primary_school(f"第{n:02d}小学", 300, code=f"2{n:03d}") for n in range(1, 26)]
    roster = write_county_file(
        tmp_path / "上期.xlsx", [primary_school("甲小学", 390, code="1001"), *others]
    )
    output = tmp_path / "全县.xlsx"
    result = runner.invoke(
        app, ["collect", str(folder), "-o", str(output), "--roster", str(roster)]
    )
    assert result.exit_code == 1
    assert "25 所" in result.output and "第20小学" in result.output
    assert "第21小学" not in result.output and "完整名单见" in result.output
    sheet = openpyxl.load_workbook(output)["收集情况"]
    assert sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "未交") == 25


def test_only_expected_errors_of_a_file_are_an_account_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import junheng_cli.workflows.collect.returns as collect_module

    folder = tmp_path / "回收"
    folder.mkdir()
    fill(write_quality_template(folder / "甲.xlsx"), [school("甲小学", "1001", 400)])

    def odd(*_: object) -> None:
        raise ValueError("bad number in XML")

    monkeypatch.setattr(collect_module, "read_school_table", odd)
    [entry] = collect(folder).entries
    assert entry.status is Status.UNREADABLE and "ValueError" in entry.detail

    def bug(*_: object) -> None:
        raise AttributeError("a bug in junheng")

    # issue 12: a file that fails in any way is listed and the others go on; a fault of
    # junheng's own is said to be one, never passed off as a damaged file
    monkeypatch.setattr(collect_module, "read_school_table", bug)
    [entry] = collect(folder).entries
    assert entry.status is Status.UNREADABLE
    assert "内部错误" in entry.detail and "AttributeError: a bug in junheng" in entry.detail


def test_number_formats_cover_the_whole_column_not_just_the_bordered_rows(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(write_quality_template(tmp_path / "模板.xlsx"))["学校"]
    letters = {cell.value: cell.column_letter for cell in ws[1]}
    # column-wide formats: a code typed in row 500 is still text, money still 0.00
    assert ws.column_dimensions[letters["学校标识码"]].number_format == "@"
    assert ws.column_dimensions[letters["教学仪器设备值（元）"]].number_format == "#,##0.00"
    assert ws.column_dimensions[letters["小学在校生数"]].number_format == "0"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"


def test_instructions_mention_only_columns_the_template_has() -> None:
    quality = "\n".join(build_template(QUALITY).instructions)
    # quality-2017 has no 图书 or 计算机 column
    for word in ("册数", "台数", "图书", "计算机"):
        assert word not in quality
    assert "间数" in quality and "多媒体教室" in quality
    basic = "\n".join(build_template(load_standard("basic-2012")).instructions)
    assert "册数" in basic and "计算机" in basic and "多媒体" not in basic
