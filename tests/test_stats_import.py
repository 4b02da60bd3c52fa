"""The statistics system's per-school exports: import, round trip, and what is skipped and why.

Every workbook is generated at test time by tests/stats_fixtures.py from a county table.
"""

from __future__ import annotations

import json
import math
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from helpers import SAMPLE
from junheng_cli.cli import app
from junheng_cli.schema import template_columns
from junheng_cli.stats_forms import FormError, load_maps
from junheng_cli.stats_import import IMPORTED, SKIPPED, import_stats
from stats_fixtures import NEW, OLD, county_schools, write_county, write_foreign, write_school

runner = CliRunner()
FORMS = Path(__file__).resolve().parents[1] / "src" / "junheng_cli" / "data" / "forms"
FROM_SUPPLEMENT = ("music_rooms", "art_rooms")  # no form gives them: the supplement does


def sample_schools() -> list[dict[str, Any]]:
    frame = pd.read_excel(SAMPLE, sheet_name="学校", dtype={"学校标识码": str}, engine="calamine")
    return county_schools(frame)


@pytest.fixture(scope="module")
def sample_folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    schools = sample_schools()
    folders = {}
    for generation in (NEW, OLD):
        folder = tmp_path_factory.mktemp(generation)
        write_county(schools, folder, generation)
        folders[generation] = folder
    supplement = tmp_path_factory.mktemp("supplement") / "补充.xlsx"
    frame = pd.read_excel(SAMPLE, sheet_name="学校", dtype={"学校标识码": str}, engine="calamine")
    frame[["学校标识码", "学校名称", "音乐专用教室数（间）", "美术专用教室数（间）"]].to_excel(
        supplement, sheet_name="学校", index=False
    )
    folders["supplement"] = supplement
    return folders


def _same(a: Any, b: Any) -> bool:
    missing = lambda v: v is None or (isinstance(v, float) and math.isnan(v))  # noqa: E731
    if missing(a) or missing(b):
        return missing(a) and missing(b)
    return a == b


@pytest.mark.parametrize("generation", [NEW, OLD])
def test_every_figure_of_the_sample_comes_back_exactly(sample_folders, generation):
    imported = import_stats([sample_folders[generation]])
    assert len(imported.imported) == 123 and not imported.skipped and not imported.missing
    expected = {s["code"]: s for s in sample_schools()}
    for _, row in imported.frame.iterrows():
        school = expected[row["code"]]
        for column in template_columns():
            if column.name in FROM_SUPPLEMENT:
                continue
            want = school.get(column.name)
            assert _same(row[column.name], want), (school["name"], column.name, row[column.name])


def test_a_nine_year_school_is_one_row_with_both_levels_and_its_provenance(sample_folders):
    imported = import_stats([sample_folders[NEW]])
    frame = imported.frame
    i = frame.index[frame["name"] == "石桥高岭九年一贯制学校"][0]
    assert frame.at[i, "type"] == "九年一贯制学校"
    assert (frame.at[i, "students_primary"], frame.at[i, "students_junior"]) == (662, 709)
    # 本科及以上 初中 = 博士 5 + 硕士 23 + 本科 24 of the 初中 block, located by its label
    assert frame.at[i, "qualified_teachers_junior"] == 52
    where = imported.provenance[(i, "qualified_teachers_junior")]
    assert (where.sheet, where.cells) == ("教基4156", ("C10", "C11", "C12"))
    # the 初中 block of 4153 is the second one (C17:C19): 0 + 5 + 17
    where = imported.provenance[(i, "senior_title_teachers_junior")]
    assert (
        where.cells == ("C17", "C18", "C19") and frame.at[i, "senior_title_teachers_junior"] == 22
    )
    teaching = imported.provenance[(i, "teaching_area")]
    assert teaching.arithmetic == "教基5170!F10 − 教基5170!F17"
    assert frame.at[i, "teaching_area"] == 6178.8  # 6612.1 − 433.3, in decimal
    money = imported.provenance[(i, "equipment_value")]
    assert money.cells == ("D19",) and "万元→元" in money.arithmetic
    assert frame.at[i, "equipment_value"] == 3356225.97  # 335.622597 万元


def test_complete_middle_schools_and_teaching_points(sample_folders):
    frame = import_stats([sample_folders[OLD]]).frame.set_index("name")
    assert frame.at["桃源西岗中学", "type"] == "完全中学"
    assert frame.at["桃源西岗中学", "students_senior"] == 472  # 基础基314, its senior form
    assert frame.at["桃源西岗中学", "teachers_junior"] == 67
    assert frame.at["城关红旗村教学点", "type"] == "教学点"  # 办学类型 小学教学点, its own workbook
    assert frame.at["城关红旗村教学点", "students_primary"] == 41


def _evaluate(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["evaluate", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# where rows were read differs by construction; county_items come from the sample's 县级指标
# sheet, which no statistics form has
LOCATION = {"file", "sheet", "row", "sources", "rows", "unused_sheets", "county_items"}


def _without_locations(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_locations(v) for k, v in value.items() if k not in LOCATION}
    if isinstance(value, list):
        return [_without_locations(v) for v in value]
    return value


@pytest.mark.parametrize("standard", ["quality-2017", "basic-2012"])
@pytest.mark.parametrize("generation", [NEW, OLD])
def test_round_trip_evaluates_exactly_like_the_sample(sample_folders, generation, standard):
    supplement = str(sample_folders["supplement"])
    stats = _evaluate(
        str(sample_folders[generation]), "--standard", standard, "--supplement", supplement
    )
    sample = _evaluate(str(SAMPLE), "--standard", standard)
    assert stats["levels"] == sample["levels"]  # every CV, mean, SD, verdict: exactly
    assert [s["values"] for s in stats["schools"]] == [s["values"] for s in sample["schools"]]
    assert _without_locations(stats) == _without_locations(sample)  # gaps, verdicts, Theil …


def test_one_command_from_the_exports_and_findings_name_the_workbook_cell(tmp_path):
    schools = sample_schools()[:12]
    schools[2] = {**schools[2], "multimedia_rooms": -1}
    write_county(schools, tmp_path / "统计报表", NEW)
    result = runner.invoke(
        app, ["evaluate", str(tmp_path / "统计报表"), "--standard", "quality-2017", "-f", "json"]
    )
    assert result.exit_code == 1
    issues = json.loads(result.stdout)["issues"]
    negative = next(i for i in issues if i["code"] == "E_NEGATIVE")
    assert negative["file"].endswith(f"{schools[2]['code']}_{schools[2]['name']}.xlsx")
    assert (negative["sheet"], negative["column"], negative["row"]) == ("教基5176", "D", 17)
    table = runner.invoke(app, ["validate", str(tmp_path / "统计报表"), "-s", "quality-2017"])
    assert table.exit_code == 1 and "教基5176" in table.output and "D17" in table.output


def test_skipped_workbooks_each_say_why_and_the_counts_add_up(tmp_path):
    schools = sample_schools()
    nine = next(s for s in schools if s["type"] == "九年一贯制学校")
    folder = tmp_path / "县"
    write_school(schools[0], folder, NEW)
    write_school(schools[1], folder, NEW, drop_sheet="教基4155")
    write_school(schools[2], folder, NEW, shift=("教基3112", 6))
    write_school(schools[3], folder, OLD, shift=("基础基512", 12))
    write_school({**schools[4], "code": schools[0]["code"]}, folder / "子文件夹", NEW)
    write_school(nine, folder, NEW, naming="suffixed")
    write_foreign(folder / "教师名单.xlsx")
    (folder / "说明.txt").write_text("本文件夹为各校报表", encoding="utf-8")
    imported = import_stats([folder])
    reasons = {Path(o.file).name: o.reason for o in imported.outcomes if o.status == SKIPPED}
    assert len(imported.outcomes) == 8 == len(imported.imported) + len(imported.skipped)
    assert len(imported.imported) == 2  # the first school and the suffixed nine-year school
    name = lambda s: f"{s['code']}_{s['name']}.xlsx"  # noqa: E731
    assert "缺少工作表 教基4155" in reasons[name(schools[1])]
    assert reasons[name(schools[2])] == (
        "标签不符：工作表 教基3112 单元格 I6 所在行的标签是“（插入的行）”，应为“总计”"
        "（行可能有增减，或映射地址有误）"
    )
    assert reasons[name(schools[3])] == (
        "标签不符：工作表 基础基512 单元格 E16 所在行的标签是“语音室”，应为“体育馆”"
        "（行可能有增减，或映射地址有误）"
    )
    duplicate = f"{schools[0]['code']}_{schools[4]['name']}.xlsx"
    assert reasons[duplicate].startswith(f"学校标识码 {schools[0]['code']} 重复")
    assert reasons[duplicate].endswith(f"（保留先读到的 {folder / name(schools[0])}）")
    assert reasons["教师名单.xlsx"].startswith("不是教育统计报表")
    assert reasons["说明.txt"] == "不是工作簿（.txt）"
    kept = imported.frame.set_index("name")
    assert kept.at[nine["name"], "students_junior"] == nine["students_junior"]


def test_import_stats_writes_the_county_workbook_that_evaluates_with_no_mapping(tmp_path):
    schools = sample_schools()[:10]
    folder = tmp_path / "报表"
    write_county(schools[:9], folder, OLD)
    write_school(schools[9], folder, OLD, shift=("基础基312", 7))
    out = tmp_path / "全县.xlsx"
    result = runner.invoke(app, ["import-stats", str(folder), "-o", str(out)])
    assert result.exit_code == 1, result.output  # one skipped: the workbook is written anyway
    assert "导入 9 个" in result.output and "跳过 1 个" in result.output
    sheets = pd.read_excel(out, sheet_name=None, dtype=str, engine="calamine")
    assert list(sheets) == ["学校", "来源", "导入情况"]
    assert list(sheets["学校"].columns) == [c.header_with_unit for c in template_columns()]
    source = sheets["来源"]
    first = source[(source["学校名称"] == schools[0]["name"]) & (source["项目"] == "小学在校生数")]
    assert first[["工作表", "单元格", "数值"]].values.tolist() == [
        ["基础基312", "H7", str(int(schools[0]["students_primary"]))]
    ]
    assert sheets["导入情况"]["结果"].tolist().count("已跳过") == 1
    evaluated = runner.invoke(app, ["evaluate", str(out), "-s", "basic-2012", "-f", "json"])
    assert evaluated.exit_code == 0, evaluated.output
    again = runner.invoke(app, ["import-stats", str(folder), "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.output


def test_a_province_corrects_a_map_with_a_file(tmp_path):
    school = sample_schools()[0]
    write_school(school, tmp_path / "报表", NEW)
    forms = tmp_path / "forms"
    forms.mkdir()
    text = (FORMS / "jiaoji-2021.yaml").read_text("utf-8")
    corrected = text.replace(
        "{sheet: 教基3112, cell: I6, label: 总计, header: 在校生数",
        "{sheet: 教基3112, cell: C6, label: 总计, header: 毕业生数",
    )
    assert corrected != text
    (forms / "jiaoji-2021.yaml").write_text(corrected, "utf-8")
    builtin = import_stats([tmp_path / "报表"]).frame.at[0, "students_primary"]
    mine = import_stats([tmp_path / "报表"], forms_dir=forms)
    assert builtin == school["students_primary"]
    assert mine.frame.at[0, "students_primary"] == school["students_primary"] // 6  # 毕业生数
    assert mine.provenance[(0, "students_primary")].cells == ("C6",)
    assert [m.replaces is not None for m in mine.maps if m.form.id == "jiaoji-2021"] == [True]


def test_a_bad_map_names_the_file_and_the_key(tmp_path):
    data = yaml.safe_load((FORMS / "jichu-2012.yaml").read_text("utf-8"))
    data["fields"]["books"]["terms"][0]["cell"] = "D 8"
    data["fields"]["pupils"] = data["fields"]["books"]
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(FormError) as caught:
        load_maps(tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "bad.yaml") in message
    assert "fields.books.terms.0" in message and "单元格应写作 A1 形式" in message


def test_supplement_fills_what_the_forms_lack_and_never_overwrites(tmp_path):
    schools = sample_schools()[:3]
    folder = tmp_path / "报表"
    write_county(schools, folder, NEW)
    write_school(schools[0], folder, NEW, drop_sheet="教基2106")  # no class form
    supplement = tmp_path / "补充.xlsx"
    pd.DataFrame(
        {
            "学校标识码": [schools[0]["code"], schools[1]["code"]],
            "学校名称": [schools[0]["name"], schools[1]["name"]],
            "小学班级数": [99, schools[1]["classes_primary"]],
            "小学在校生数": [schools[0]["students_primary"], 5],
        }
    ).to_excel(supplement, sheet_name="学校", index=False)
    without = import_stats([folder])
    assert [(m.name, m.header) for m in without.missing] == [
        (schools[0]["name"], "小学班级数"),
        (schools[0]["name"], "小学大班额班级数"),
        (schools[0]["name"], "小学超大班额班级数"),
    ]
    merged = import_stats([folder], supplement=supplement)
    frame = merged.frame.set_index("name")
    assert frame.at[schools[0]["name"], "classes_primary"] == 99
    assert merged.provenance[(0, "classes_primary")].arithmetic == "补充表"
    assert [m.header for m in merged.missing] == ["小学大班额班级数", "小学超大班额班级数"]
    assert all(m.why.endswith("补充表中也没有") for m in merged.missing)
    assert frame.at[schools[1]["name"], "students_primary"] == schools[1]["students_primary"]
    [difference] = merged.differences
    assert (difference.header, difference.form_value, difference.supplement_value) == (
        "小学在校生数",
        schools[1]["students_primary"],
        5,
    )


def test_a_zip_of_exports(tmp_path):
    schools = sample_schools()[:3]
    write_county(schools, tmp_path / "报表", OLD)
    archive = tmp_path / "各校.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted((tmp_path / "报表").iterdir()):
            zf.write(path, f"各校/{path.name}")
    shutil.rmtree(tmp_path / "报表")
    imported = import_stats([archive])
    assert [o.status for o in imported.outcomes] == [IMPORTED] * 3
    assert imported.outcomes[0].file.startswith(f"{archive}:各校/")
    assert sorted(imported.frame["name"]) == sorted(s["name"] for s in schools)


def test_the_shipped_sample_folder_evaluates_in_one_step_like_the_sample_workbook():
    folder = SAMPLE.parent / "示例县2026统计报表"
    stats = _evaluate(str(folder), "--standard", "quality-2017")
    sample = _evaluate(str(SAMPLE), "--standard", "quality-2017")
    assert stats["levels"] == sample["levels"] and stats["gaps"] != []
    assert _without_locations(stats["gaps"]) == _without_locations(sample["gaps"])
