"""What a collection template holds: the columns a standard needs (headers with units), the
填表说明 text, a worked example, and rows pre-filled from last period's county workbook.

No openpyxl here: ``report/template_xlsx.py`` writes what this module describes. The example
school lives on the 填表说明 sheet as a column-by-column table (one line per column: header,
unit, what to enter, example value), never as a row under the template's header: the reader
takes any sheet whose header has 学校名称 and 学校类型 for a sheet of schools, so an example
row there would be counted as a school if a school forgot to delete it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from junheng_cli.compute.validate import ValidatedTable, validate
from junheng_cli.io.guard import safe_file_stem as guarded_stem
from junheng_cli.io.sheet_table import ReadOptions, read_school_table
from junheng_cli.model.fields import (
    ALLOWANCE_FIELDS,
    CLASS_FIELDS,
    FIELDS,
    Column,
    template_columns,
)
from junheng_cli.model.findings import Finding
from junheng_cli.standards.model import ClassSizeRule, Standard, load_standard

DATA_SHEET = "学校"
INSTRUCTIONS_SHEET = "填表说明"
AREA_TYPES = ("城区", "镇区", "乡村")  # README: 城乡类型 values
# School types and their spellings are the same in every built-in standard; this one checks
# names, types and numbers when no --standard is given.
STRUCTURAL_STANDARD = "basic-2012"
DEFAULT_BLANK_ROWS = 5
MAX_FILE_NAME = 80  # characters; keeps paths well inside Windows' limits
# Errors that leave no way to write one file per school.
PREFILL_BLOCKING = frozenset(
    {"E_MISSING_COLUMN", "E_DUPLICATE_COLUMN", "E_MISSING_NAME", "E_DUPLICATE_SCHOOL"}
)

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


@dataclass(frozen=True)
class Template:
    """One template workbook: its columns, dropdown values, instructions and rows."""

    standard: Standard | None
    columns: list[TemplateColumn]
    school_types: list[str]
    instructions: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)  # column name → value
    blank_rows: int = DEFAULT_BLANK_ROWS
    area_types: tuple[str, ...] = AREA_TYPES

    @property
    def title(self) -> str:
        what = self.standard.name if self.standard else "县域义务教育均衡发展"
        return f"{what} 学校情况填报表"

    def column(self, name: str) -> TemplateColumn | None:
        return next((c for c in self.columns if c.name == name), None)


# -- columns ----------------------------------------------------------------------------------
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
    wanted |= {name for f in standard.quantities() for name in _names(f, standard)}
    wanted |= {name for f in _government_fields(standard) for name in _names(f, standard)}
    wanted |= {name for f in allowance_fields(standard) for name in _names(f, standard)}
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


def _names(field_id: str, standard: Standard) -> list[str]:
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


# -- the template -----------------------------------------------------------------------------
def build_template(
    standard: Standard | None,
    blank_rows: int = DEFAULT_BLANK_ROWS,
    rows: list[dict[str, Any]] | None = None,
    source: Path | None = None,
) -> Template:
    columns = [template_column(c, standard) for c in standard_columns(standard)]
    types = school_types(standard)
    return Template(
        standard=standard,
        columns=columns,
        school_types=types,
        instructions=instruction_lines(standard, types, source, [c.column for c in columns]),
        rows=rows or [],
        blank_rows=blank_rows,
    )


def instruction_lines(
    standard: Standard | None,
    types: list[str],
    source: Path | None = None,
    columns: list[Column] | None = None,
) -> list[str]:
    """The general part of 填表说明, one paragraph per line; units and whole-school items are
    named only when the template has such a column (``columns``: the template's)."""
    columns = standard_columns(standard) if columns is None else columns
    if standard is None:
        scope = "本表包含 junheng 能读取的全部列，适用于各评估标准。"
    else:
        scope = f"本表按《{standard.name}》（{standard.id}）所需的数据制作。"
    lines = [
        scope,
        f"请在“{DATA_SHEET}”工作表填写，每所学校一行（中心校代报的教学点各占一行）；"
        "第 1 行表头不要修改、删除或增加列。",
        _units_line(columns),
        _levels_line(columns),
        "没有的项目填 0；不清楚的先留空并与教育局联系，不要填文字说明。",
        f"学校类型从下拉列表选择（{'、'.join(types)}）；城乡类型从下拉列表选择（{'、'.join(AREA_TYPES)}）。",
        "下面的“各列说明”列出每一列的含义、单位和一所虚构学校的填写示例；示例只在本页，"
        f"不会被计入，请不要把它复制到“{DATA_SHEET}”表。",
    ]
    if source is not None:
        lines.insert(1, f"本表已按上期数据（{source.name}）预填，请逐项核对并改为本期数据。")
    return lines


# What each unit is called in "…填整数", and each whole-school quantity in "…填全校合计".
COUNT_WORDS = {"人": "人数", "个": "班级数", "册": "册数", "台": "台数", "间": "间数"}
WHOLE_SCHOOL_WORDS = {
    "teaching_area": "校舍面积",
    "gym_area": "体育场馆面积",
    "sports_ground_area": "体育场馆面积",
    "equipment_value": "仪器设备值",
    "books": "图书",
    "computers": "计算机",
    "multimedia_rooms": "多媒体教室",
    "music_rooms": "音乐和美术专用教室",
    "art_rooms": "音乐和美术专用教室",
}


def _units_line(columns: list[Column]) -> str:
    units = {c.field.unit for c in columns if c.field.kind != "text"}
    parts = []
    if "㎡" in units:
        parts.append("面积填平方米（㎡）")
    if "元" in units:
        parts.append("金额填元（不是万元）")
    counts = [w for u, w in COUNT_WORDS.items() if u in units]
    whole = f"；{'、'.join(counts)}填整数" if counts else ""
    return f"单位以表头括号为准：{'，'.join(parts)}{whole}。".replace("：；", "：")


def _levels_line(columns: list[Column]) -> str:
    whole = list(
        dict.fromkeys(
            WHOLE_SCHOOL_WORDS[c.field.id] for c in columns if c.field.id in WHOLE_SCHOOL_WORDS
        )
    )
    line = "教师数按学段填写：九年一贯制学校、完全中学的小学教师和初中教师分别填在对应学段的列中"
    return f"{line}；{'、'.join(whole)}填全校合计。" if whole else f"{line}。"


# -- pre-filled templates ---------------------------------------------------------------------
@dataclass
class LastPeriod:
    """Last period's county workbook, read and checked, with clean values in template units."""

    path: Path
    validated: ValidatedTable
    absent: list[Column]  # template columns last period's workbook does not have

    @property
    def findings(self) -> list[Finding]:
        return self.validated.findings

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.code in PREFILL_BLOCKING]


def standard_for_columns(standard: Standard, columns: set[str]) -> Standard:
    """The standard reduced to the indicators whose columns are all present, so that reading
    a workbook made for another standard (or an older template) still gives clean values;
    what is absent is reported by the caller. No school rule or 政府保障 items: the result
    is only used to check and clean values, never to evaluate."""
    kept = [
        i
        for i in standard.indicators
        if all(n in columns for f in i.numerator for n in _names(f, standard))
    ]
    return standard.model_copy(update={"indicators": kept, "school_rule": None, "government": None})


def read_last_period(path: Path, standard: Standard | None, options: ReadOptions) -> LastPeriod:
    """Read last period's workbook with the normal reader and check it like ``validate``
    (against the standard's indicators its columns allow). Raises ``ReadError``."""
    table = read_school_table([path], options)
    base = standard or load_standard(STRUCTURAL_STANDARD)
    validated = validate(table, standard_for_columns(base, table.columns))
    absent = [c for c in standard_columns(standard) if c.name not in table.columns]
    return LastPeriod(path, validated, absent)


def prefill_rows(last: LastPeriod, template: Template) -> list[dict[str, Any]]:
    """One row per school of last period, limited to the template's columns. Values are the
    checked ones in the template's units (a 万元 column arrives in 元); a cell that was not a
    valid number is left empty for the school to fill."""
    frame = last.validated.frame  # in reading order
    names = [c.name for c in template.columns if c.name in frame]
    records = frame[names].astype(object).where(frame[names].notna(), None)
    return [{k: _cell_value(v) for k, v in r.items()} for r in records.to_dict("records")]


def _cell_value(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    return value


def safe_file_stem(text: str) -> str:
    """A school's file name made safe on Windows, macOS and Linux (``io.guard``), at most
    ``MAX_FILE_NAME`` characters, never empty."""
    return guarded_stem(text, "学校", MAX_FILE_NAME)


def school_file_names(rows: list[dict[str, Any]]) -> list[str]:
    """``学校标识码_学校名称.xlsx`` per row (the name alone without a code), made safe and
    unique: a name already taken gets ``-2``, ``-3`` …"""
    names: list[str] = []
    taken: set[str] = set()
    for row in rows:
        parts = [str(row[k]) for k in ("code", "name") if row.get(k) not in (None, "")]
        stem = safe_file_stem("_".join(parts))
        candidate, n = stem, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(candidate.casefold())
        names.append(f"{candidate}.xlsx")
    return names


def prefilled_templates(
    last: LastPeriod, standard: Standard | None, blank_rows: int = DEFAULT_BLANK_ROWS
) -> list[tuple[str, Template]]:
    """(file name, template) per school of last period, each pre-filled with its own row."""
    base = build_template(standard, blank_rows, source=last.path)
    rows = prefill_rows(last, base)
    return [
        (name, replace(base, rows=[row]))
        for name, row in zip(school_file_names(rows), rows, strict=True)
    ]


def example_frame(template: Template) -> pd.DataFrame:
    """The 各列说明 table of 填表说明: one line per column with the worked example."""
    return pd.DataFrame(
        {
            "列名": [c.header for c in template.columns],
            "单位": [c.unit for c in template.columns],
            "是否必填": [c.need for c in template.columns],
            "填写说明": [c.note for c in template.columns],
            "填写示例（虚构学校）": [c.example for c in template.columns],
        }
    )
