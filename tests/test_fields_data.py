"""The fields catalogue is data (src/junheng_cli/data/fields.yaml): it gives exactly the fields the
code defined before the move, and a malformed catalogue or province field is refused in Chinese,
naming the file and the entry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from junheng_cli.errors import JunhengError
from junheng_cli.model import fields as catalogue
from junheng_cli.model.fields import (
    FIELDS,
    FIELDS_FILE,
    TEACHER_PARTS,
    Field,
    FieldsError,
    Level,
    load_catalogue,
    parse_fields,
    register_fields,
    template_columns,
)

# Built from model/fields.py as it was before the catalogue became data (section, id, header,
# kind, unit, required, levels, splits).
EXPECTED_FIELDS = [
    ("identity", "code", "学校标识码", "text", "", False, (), True),
    ("identity", "name", "学校名称", "text", "", True, (), True),
    ("identity", "type", "学校类型", "text", "", True, (), True),
    ("identity", "township", "所在乡镇", "text", "", False, (), True),
    ("identity", "area_type", "城乡类型", "text", "", False, (), True),
    (
        "quantity",
        "students",
        "在校生数",
        "count",
        "人",
        True,
        ("primary", "junior", "senior"),
        True,
    ),
    ("quantity", "teachers", "专任教师数", "count", "人", True, ("primary", "junior"), True),
    (
        "quantity",
        "qualified_teachers",
        "高于规定学历教师数",
        "count",
        "人",
        True,
        ("primary", "junior"),
        True,
    ),
    (
        "quantity",
        "senior_title_teachers",
        "中级及以上职称教师数",
        "count",
        "人",
        True,
        ("primary", "junior"),
        True,
    ),
    (
        "quantity",
        "backbone_teachers",
        "县级以上骨干教师数",
        "count",
        "人",
        True,
        ("primary", "junior"),
        True,
    ),
    (
        "quantity",
        "pe_arts_teachers",
        "体育艺术专任教师数",
        "count",
        "人",
        True,
        ("primary", "junior"),
        True,
    ),
    ("quantity", "teaching_area", "教学及辅助用房面积", "number", "㎡", True, (), True),
    ("quantity", "gym_area", "体育馆面积", "number", "㎡", True, (), True),
    ("quantity", "sports_ground_area", "运动场地面积", "number", "㎡", True, (), True),
    ("quantity", "equipment_value", "教学仪器设备值", "number", "元", True, (), True),
    ("quantity", "books", "图书册数", "count", "册", True, (), True),
    ("quantity", "computers", "计算机台数", "count", "台", True, (), True),
    ("quantity", "multimedia_rooms", "网络多媒体教室数", "count", "间", True, (), True),
    ("classes", "classes", "班级数", "count", "个", True, ("primary", "junior"), True),
    ("classes", "large_classes", "大班额班级数", "count", "个", True, ("primary", "junior"), True),
    ("classes", "huge_classes", "超大班额班级数", "count", "个", True, ("primary", "junior"), True),
    ("classes", "music_rooms", "音乐专用教室数", "count", "间", True, (), True),
    ("classes", "art_rooms", "美术专用教室数", "count", "间", True, (), True),
    ("scope", "ownership", "办学性质", "text", "", False, (), True),
    ("scope", "sponsor", "举办者", "text", "", False, (), True),
    (
        "allowance",
        "shared_pe_arts_teachers",
        "交流兼职体育艺术教师数",
        "count",
        "人",
        True,
        ("primary", "junior"),
        True,
    ),
    ("allowance", "leased_sports_area", "租借或屋顶运动场地面积", "number", "㎡", True, (), True),
    ("allowance", "build_year", "建校年份", "count", "", True, (), False),
    ("allowance", "migrant_students", "随迁子女数", "count", "人", True, (), False),
    ("allowance", "music_room_area", "音乐专用教室单间面积", "number", "㎡", True, (), False),
    ("allowance", "art_room_area", "美术专用教室单间面积", "number", "㎡", True, (), False),
]
EXPECTED_COLUMNS = [
    "code",
    "name",
    "type",
    "township",
    "area_type",
    "students_primary",
    "students_junior",
    "students_senior",
    "teachers_primary",
    "qualified_teachers_primary",
    "senior_title_teachers_primary",
    "backbone_teachers_primary",
    "pe_arts_teachers_primary",
    "teachers_junior",
    "qualified_teachers_junior",
    "senior_title_teachers_junior",
    "backbone_teachers_junior",
    "pe_arts_teachers_junior",
    "teaching_area",
    "gym_area",
    "sports_ground_area",
    "equipment_value",
    "books",
    "computers",
    "multimedia_rooms",
    "classes_primary",
    "large_classes_primary",
    "huge_classes_primary",
    "classes_junior",
    "large_classes_junior",
    "huge_classes_junior",
    "music_rooms",
    "art_rooms",
    "ownership",
    "sponsor",
    "shared_pe_arts_teachers_primary",
    "shared_pe_arts_teachers_junior",
    "leased_sports_area",
    "build_year",
    "migrant_students",
    "music_room_area",
    "art_room_area",
]

SECTIONS = {
    "identity": catalogue.IDENTITY_FIELDS,
    "quantity": catalogue.QUANTITY_FIELDS,
    "classes": catalogue.CLASS_FIELDS,
    "scope": catalogue.SCOPE_FIELDS,
    "allowance": catalogue.ALLOWANCE_FIELDS,
}


def test_the_data_gives_the_fields_the_code_defined() -> None:
    got = [
        (
            section,
            f.id,
            f.header,
            f.kind,
            f.unit,
            f.required,
            tuple(lv.value for lv in f.per_level),
            f.splits,
        )
        for section, fields in SECTIONS.items()
        for f in fields
    ]
    assert got == EXPECTED_FIELDS
    assert list(FIELDS) == [row[1] for row in EXPECTED_FIELDS]
    assert [c.name for c in template_columns()] == EXPECTED_COLUMNS
    assert TEACHER_PARTS == (
        "qualified_teachers",
        "senior_title_teachers",
        "backbone_teachers",
        "pe_arts_teachers",
    )


def test_hand_checked_entries() -> None:
    assert FIELDS["equipment_value"] == Field("equipment_value", "教学仪器设备值", "number", "元")
    assert FIELDS["books"] == Field("books", "图书册数", "count", "册")
    assert FIELDS["code"] == Field("code", "学校标识码", "text", required=False)
    assert FIELDS["build_year"] == Field("build_year", "建校年份", "count", splits=False)
    students = FIELDS["students"]
    assert students.per_level == (Level.PRIMARY, Level.JUNIOR, Level.SENIOR)
    assert students.header_for(Level.SENIOR) == "高中在校生数"
    assert FIELDS["backbone_teachers"].part_of == "teachers"
    headers = {c.name: c.header_with_unit for c in template_columns()}
    assert headers["teaching_area"] == "教学及辅助用房面积（㎡）"
    assert headers["teachers_junior"] == "初中专任教师数"  # 人 is not written
    assert headers["classes_primary"] == "小学班级数（个）"


def test_the_catalogue_ships_inside_the_package() -> None:
    assert FIELDS_FILE.is_file()
    assert FIELDS_FILE.parent == Path(catalogue.__file__).resolve().parent.parent / "data"
    assert (FIELDS_FILE.parent / "headers.yaml").is_file()


def broken_catalogue(tmp_path: Path, old: str, new: str) -> Path:
    text = FIELDS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "fields.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "id: books, header: 图书册数, kind: count",
            "id: books, header: 图书册数, kind: integer",
            ["quantities 第 11 项（books）", "kind", "'integer'"],
        ),
        (
            "id: computers, header: 计算机台数, kind: count",
            "id: computers, heading: 计算机台数, kind: count",
            ["第 12 项（computers）", "未知的键 heading"],
        ),
        (
            "id: classes, header: 班级数, kind: count, unit: 个, levels: [primary, junior]",
            "id: classes, header: 班级数, kind: count, unit: 个, levels: [primary, middle]",
            ["classes 第 1 项（classes）", "levels"],
        ),
        (
            "id: gym_area, header: 体育馆面积",
            "id: teaching_area, header: 体育馆面积",
            ["quantities", "'teaching_area' 定义了两次"],
        ),
        (
            "id: gym_area, header: 体育馆面积",
            "id: gym_area, header: 运动场地面积",
            ["quantities", "表头 '运动场地面积'"],
        ),
        (
            "id: build_year, header: 建校年份, kind: count, splits: false",
            "id: build_year, header: 建校年份, kind: count, splits: 否",
            ["allowances 第 3 项（build_year）", "splits 应为 true 或 false"],
        ),
        (
            "- {id: sponsor, header: 举办者, kind: text, required: false}",
            "- 举办者",
            ["scope 第 2 项", "应为键值映射"],
        ),
        (
            "- {id: name, header: 学校名称, kind: text}",
            "- {id: Name, header: 学校名称, kind: text}",
            ["identity 第 2 项（Name）", "id 应为小写英文名"],
        ),
        (
            "- {id: art_rooms, header: 美术专用教室数, kind: count, unit: 间}",
            "- {id: art_rooms_primary, header: 美术专用教室数, kind: count, unit: 间}",
            ["classes 第 5 项（art_rooms_primary）", "levels"],
        ),
        ("\nscope:\n", "\nwho_runs:\n", ["应依次有这些部分"]),
    ],
)
def test_a_malformed_catalogue_names_the_file_and_the_entry(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    path = broken_catalogue(tmp_path, old, new)
    with pytest.raises(FieldsError) as caught:
        load_catalogue(path)
    message = str(caught.value)
    assert str(path) in message
    for part in expected:
        assert part in message
    assert isinstance(caught.value, JunhengError)


def test_a_catalogue_that_is_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "fields.yaml"
    path.write_text("identity: [\n", encoding="utf-8")
    with pytest.raises(FieldsError, match="无法读取字段目录"):
        load_catalogue(path)


@pytest.fixture
def restore_fields() -> Iterator[None]:
    """register_fields changes the process-wide catalogue: put it back afterwards."""
    fields, registered = dict(FIELDS), list(catalogue._REGISTERED)
    yield
    FIELDS.clear()
    FIELDS.update(fields)
    catalogue._REGISTERED[:] = registered


PROVINCE = [
    {
        "id": "psych_teachers",
        "header": "心理健康教师数",
        "kind": "count",
        "unit": "人",
        "levels": ["primary", "junior"],
    },
    {"id": "labour_area", "header": "劳动实践场所面积", "kind": "number", "unit": "㎡"},
]


@pytest.mark.usefixtures("restore_fields")
def test_a_province_adds_fields_at_the_end_of_the_template() -> None:
    before = [c.name for c in template_columns()]
    added = register_fields(
        parse_fields(PROVINCE, "标准文件 省.yaml 的 fields"), "标准文件 省.yaml"
    )
    assert [f.id for f in added] == ["psych_teachers", "labour_area"]
    assert FIELDS["labour_area"].unit == "㎡"
    columns = template_columns()
    assert [c.name for c in columns] == [
        *before,
        "psych_teachers_primary",
        "psych_teachers_junior",
        "labour_area",
    ]
    assert columns[-1].header_with_unit == "劳动实践场所面积（㎡）"
    assert columns[-3].header == "小学心理健康教师数"
    # the same standard loaded again adds nothing
    assert register_fields(parse_fields(PROVINCE, "again"), "again") == ()
    assert catalogue.registered_fields() == added


@pytest.mark.usefixtures("restore_fields")
@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"id": "books", "header": "图书", "kind": "count"}, "'books' 定义了两次"),
        ({"id": "library_books", "header": "图书册数", "kind": "count"}, "表头 '图书册数'"),
        (
            {
                "id": "psych",
                "header": "心理教师数",
                "kind": "count",
                "levels": ["primary"],
                "part_of": "teachers",
            },
            "part_of",
        ),
    ],
)
def test_a_province_field_may_not_redefine_one(entry: dict[str, object], expected: str) -> None:
    before = dict(FIELDS)
    with pytest.raises(FieldsError) as caught:
        register_fields(parse_fields([entry], "标准文件 省.yaml 的 fields"), "标准文件 省.yaml")
    assert "标准文件 省.yaml" in str(caught.value)
    assert expected in str(caught.value)
    assert before == FIELDS


def test_province_entries_are_checked_like_the_catalogue() -> None:
    with pytest.raises(FieldsError, match=r"省.yaml 的 fields 第 2 项（labour_area）：kind"):
        parse_fields([PROVINCE[0], {**PROVINCE[1], "kind": "area"}], "省.yaml 的 fields")
    with pytest.raises(FieldsError, match="应为字段列表"):
        parse_fields({"id": "x"}, "省.yaml 的 fields")


def test_a_province_standard_adds_a_field_and_an_indicator_on_it(tmp_path) -> None:
    """A province's standard file brings its own column (``fields:``) and an indicator on it;
    the workbook's new column is read and the CV computed. Two 400-pupil 小学 with 800 and
    400 ㎡ of 实验室: 2.0 and 1.0 ㎡ per pupil, equal weights → mean 1.5, SD 0.5, CV 1/3.
    Run in a subprocess: registering a field changes the process's field catalogue."""
    import json
    import subprocess
    import sys

    from helpers import primary_school, template_frame

    frame = template_frame([primary_school("甲", 400), primary_school("乙", 400)])
    frame["实验室面积（㎡）"] = [800.0, 400.0]
    county = tmp_path / "县.xlsx"
    frame.to_excel(county, sheet_name="学校", index=False)
    province = tmp_path / "省.yaml"
    province.write_text(
        """id: province-lab
extends: basic-2012
name: 某省（测试）
version: "t.1"
source: 测试
fields:
  - {id: lab_area, header: 实验室面积, kind: number, unit: ㎡}
indicators:
  - id: lab_area_per_student
    name: 生均实验室面积
    short_name: 实验室
    unit: ㎡
    numerator: [lab_area]
    scale: 1
    decimals: 2
""",
        "utf-8",
    )
    command = ["evaluate", str(county), "--standard", str(province), "--format", "json"]
    run = subprocess.run(
        [sys.executable, "-m", "junheng_cli", *command],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    level = json.loads(run.stdout)["levels"][0]
    lab = next(i for i in level["indicators"] if i["id"] == "lab_area_per_student")
    assert (lab["mean"], lab["sd"]) == pytest.approx((1.5, 0.5))
    assert lab["cv"] == pytest.approx(1 / 3)


def test_a_province_field_that_clashes_is_a_standard_error(tmp_path) -> None:
    import subprocess
    import sys

    province = tmp_path / "省.yaml"
    province.write_text(
        "id: p\nextends: basic-2012\nname: p\nversion: '1'\nsource: t\n"
        "fields:\n  - {id: books, header: 图书, kind: count, unit: 册}\n",
        "utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "junheng_cli", "validate", "x.xlsx", "--standard", str(province)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert "fields" in run.stderr and "books" in run.stderr and "Traceback" not in run.stderr
