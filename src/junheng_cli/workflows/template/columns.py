"""The columns of a collection template: which ones a standard needs, whether each must be
filled in (必填 …), what to enter (填写说明) and a worked example value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from junheng_cli.model.fields import (
    ALLOWANCE_FIELDS,
    CLASS_FIELDS,
    FIELDS,
    Column,
    template_columns,
)
from junheng_cli.standards.government import ClassSizeRule
from junheng_cli.standards.model import Standard, load_standard

# School types and their spellings are the same in every built-in standard; this one checks
# names, types and numbers when no --standard is given.
STRUCTURAL_STANDARD = "basic-2012"


REQUIRED = "必填"
BY_LEVEL = "有该学段的学校必填"
ADVISED = "建议填写"
OPTIONAL = "选填（政府保障程度）"
BY_STANDARD = "按评估标准"
BY_RULES = "选填（按规程放宽时用）"

NOTES: dict[str, str] = {
    "code": "教育部 10 位学校标识码；用于识别同一学校，请照填，不要改动",
    "name": "学校全称，与学籍系统一致",
    "type": "从下拉列表选择",
    "township": "学校所在乡镇（街道）",
    "area_type": "从下拉列表选择：城区、镇区或乡村",
    "ownership": "公办或民办（选填；不填按公办计）",
    "sponsor": "举办者或隶属关系，如 县级教育部门、省市直属、高校附属、企业办（选填）",
    "students": "该学段在校生人数；没有该学段填 0",
    "teachers": "该学段专任教师人数；一贯制学校、完全中学按任教学段分别填写",
    "qualified_teachers": "学历高于规定的专任教师（小学：专科及以上；初中：本科及以上）",
    "senior_title_teachers": "具有中级及以上专业技术职务的专任教师",
    "backbone_teachers": "县级及以上教育行政部门认定的骨干教师",
    "pe_arts_teachers": "体育、音乐、美术专任教师",
    "teaching_area": "全校教学及辅助用房建筑面积，单位平方米",
    "gym_area": "全校体育馆（风雨操场）面积；没有填 0",
    "sports_ground_area": "全校室外运动场地面积",
    "equipment_value": "全校教学仪器设备资产值，单位元（不是万元）",
    "books": "全校图书总册数",
    "computers": "全校教学用计算机台数",
    "multimedia_rooms": "全校网络多媒体教室间数",
    "classes": "该学段教学班数",
    "large_classes": "该学段 {large}–{last} 人的班级数",
    "huge_classes": "该学段 {huge} 人及以上的班级数",
    "music_rooms": "全校音乐专用教室间数",
    "art_rooms": "全校美术专用教室间数",
    "shared_pe_arts_teachers": "按规程（2019）：50–99 人的学校可计入的交流、兼职、走教体育艺术教师",
    "leased_sports_area": "按规程（2019）：中心城区学校可计入的屋顶或就近租借的运动场地面积",
    "build_year": "学校建成的年份，如 1998（按规程判定规模、专用教室面积时用）",
    "migrant_students": "全校义务教育阶段随迁子女人数（按规程判定学校规模时用）",
    "music_room_area": "音乐专用教室每间的使用面积；有几间时填最小一间",
    "art_room_area": "美术专用教室每间的使用面积；有几间时填最小一间",
}

# The worked example on the 填表说明 sheet: an invented 九年一贯制学校, so that both levels'
# teacher columns and the whole-school columns are shown.
EXAMPLE: dict[str, Any] = {
    "code": "2100000001",
    "name": "示例县第一九年一贯制学校（虚构）",
    "type": "九年一贯制学校",
    "township": "城关镇",
    "area_type": "镇区",
    "students_primary": 480,
    "students_junior": 360,
    "students_senior": 0,
    "teachers_primary": 30,
    "qualified_teachers_primary": 28,
    "senior_title_teachers_primary": 12,
    "backbone_teachers_primary": 6,
    "pe_arts_teachers_primary": 5,
    "teachers_junior": 32,
    "qualified_teachers_junior": 27,
    "senior_title_teachers_junior": 14,
    "backbone_teachers_junior": 5,
    "pe_arts_teachers_junior": 4,
    "teaching_area": 4200.5,
    "gym_area": 600,
    "sports_ground_area": 7800,
    "equipment_value": 2150000,
    "books": 33600,
    "computers": 120,
    "multimedia_rooms": 22,
    "classes_primary": 12,
    "large_classes_primary": 0,
    "huge_classes_primary": 0,
    "classes_junior": 8,
    "large_classes_junior": 1,
    "huge_classes_junior": 0,
    "music_rooms": 2,
    "art_rooms": 2,
}


@dataclass(frozen=True)
class TemplateColumn:
    column: Column
    need: str  # 必填 / 有该学段的学校必填 / 建议填写 / 选填
    note: str

    @property
    def name(self) -> str:
        return self.column.name

    @property
    def header(self) -> str:
        return self.column.header_with_unit

    @property
    def kind(self) -> str:
        return self.column.field.kind

    @property
    def unit(self) -> str:
        return self.column.field.unit

    @property
    def example(self) -> Any:
        return EXAMPLE.get(self.name)


def standard_columns(standard: Standard | None) -> list[Column]:
    """The template's columns for a standard, in template order: identity, the students of
    every level a school type of the standard has, each evaluated level's 专任教师数 (the
    whole the other teacher counts are checked against), the indicators' quantities and the
    fields the standard's 政府保障程度 items use. No standard: every column junheng reads."""
    every = template_columns()
    if standard is None:
        return every
    wanted = {c.name for c in every if c.field.kind == "text"}
    levels = {lv for t in standard.school_types.values() if t.excluded is None for lv in t.levels}
    wanted |= {f"students_{lv.value}" for lv in levels}
    wanted |= {f"teachers_{lv.value}" for lv in standard.evaluated_levels}
    wanted |= {name for f in standard.quantities() for name in field_columns(f, standard)}
    wanted |= {name for f in _government_fields(standard) for name in field_columns(f, standard)}
    wanted |= {name for f in allowance_fields(standard) for name in field_columns(f, standard)}
    return [c for c in every if c.name in wanted]


def allowance_fields(standard: Standard) -> list[str]:
    """The columns the standard's enabled 2019 规程 allowances rest on."""
    fields = [i.allowance.add for i in standard.indicators if i.allowance and i.allowance.enabled]
    rules = standard.government
    size = rules.school_size.allowance if rules and rules.school_size else None
    if size is not None and size.enabled:
        fields += ["build_year"] * (size.built_by is not None)
        fields += ["migrant_students"] * (size.migrant_share_above is not None)
    rooms = rules.special_rooms if rules else None
    if rooms is not None and rooms.min_area:
        fields += list(rooms.min_area)
        if rooms.allowance is not None and rooms.allowance.enabled:
            fields.append("build_year")
    return list(dict.fromkeys(fields))


def field_columns(field_id: str, standard: Standard) -> list[str]:
    field_ = FIELDS[field_id]
    if not field_.per_level:
        return [field_id]
    return [field_.column(lv) for lv in standard.evaluated_levels if lv in field_.per_level]


def _government_fields(standard: Standard) -> list[str]:
    rules = standard.government
    if rules is None:
        return []
    fields: list[str] = []
    if rules.class_size is not None:
        fields += [f.id for f in CLASS_FIELDS if f.per_level]
    if rules.special_rooms is not None:
        fields += ["classes", *rules.special_rooms.fields]
    return fields


def _need(column: Column, standard: Standard | None) -> str:
    field_id = column.field.id
    if field_id in ("name", "type"):
        return REQUIRED
    if column.field.kind == "text":
        return ADVISED
    if field_id == "students":
        return BY_LEVEL
    if standard is None:
        return OPTIONAL if column.field in CLASS_FIELDS else BY_STANDARD
    if field_id in standard.quantities():
        return BY_LEVEL if column.level is not None else REQUIRED
    if field_id == "teachers":
        return ADVISED
    if column.field in ALLOWANCE_FIELDS and field_id not in ("music_room_area", "art_room_area"):
        return BY_RULES
    return OPTIONAL


def _note(column: Column, standard: Standard | None) -> str:
    rule = standard.government.class_size if standard and standard.government else None
    large = rule.large_from if rule else ClassSizeRule.model_fields["large_from"].default
    huge = rule.huge_from if rule else ClassSizeRule.model_fields["huge_from"].default
    return NOTES[column.field.id].format(large=large, last=huge - 1, huge=huge)


def template_column(column: Column, standard: Standard | None) -> TemplateColumn:
    """A column with what the standard makes of it (必填 or not) and its note."""
    return TemplateColumn(column, _need(column, standard), _note(column, standard))


def school_types(standard: Standard | None) -> list[str]:
    """The dropdown of 学校类型: the standard's types (the reader's canonical names)."""
    return list((standard or load_standard(STRUCTURAL_STANDARD)).school_types)


def standard_for_columns(standard: Standard, columns: set[str]) -> Standard:
    """The standard reduced to the indicators whose columns are all present, so that reading
    a workbook made for another standard (or an older template) still gives clean values;
    what is absent is reported by the caller. No school rule or 政府保障 items: the result
    is only used to check and clean values, never to evaluate."""
    kept = [
        i
        for i in standard.indicators
        if all(n in columns for f in i.numerator for n in field_columns(f, standard))
    ]
    return standard.model_copy(update={"indicators": kept, "school_rule": None, "government": None})
