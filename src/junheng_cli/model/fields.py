"""Canonical fields of the school table and the levels (学段) they belong to.

Pure definitions: no pandas, no I/O, so that the CLI can import this cheaply.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

# The one bound on a figure, for school data, scenario changes and county items alike: no
# school quantity comes near it (1e13 元 = 10 万亿), and beyond it is a typo. Sums and squares
# of figures below it stay far from float64's overflow.
MAX_VALUE = 1e13
MAX_VALUE_TEXT = "10 万亿"


def plausible_figure(value: float) -> bool:
    """Finite and below ``MAX_VALUE`` in size: a figure junheng computes with."""
    return math.isfinite(value) and abs(value) < MAX_VALUE


class Level(StrEnum):
    PRIMARY = "primary"
    JUNIOR = "junior"
    SENIOR = "senior"

    @property
    def chinese(self) -> str:
        return LEVEL_NAMES[self]


LEVEL_NAMES: dict[Level, str] = {
    Level.PRIMARY: "小学",
    Level.JUNIOR: "初中",
    Level.SENIOR: "高中",
}

FieldKind = Literal["text", "count", "number"]


@dataclass(frozen=True)
class Field:
    """One column of the canonical school table.

    ``per_level`` fields exist once per level (小学专任教师数, 初中专任教师数 …);
    the others are reported once for the whole school and are split between
    levels for mixed schools. ``required`` concerns identity fields only: which
    quantities are required is decided by the standard's indicators.
    """

    id: str
    header: str
    kind: FieldKind
    unit: str = ""
    required: bool = True
    per_level: tuple[Level, ...] = ()
    splits: bool = True  # a whole-school quantity shared out between the levels of a school

    def column(self, level: Level | None = None) -> str:
        return f"{self.id}_{level.value}" if level is not None else self.id

    def header_for(self, level: Level | None = None) -> str:
        return f"{level.chinese}{self.header}" if level is not None else self.header


TEACHER_LEVELS = (Level.PRIMARY, Level.JUNIOR)
STUDENT_LEVELS = (Level.PRIMARY, Level.JUNIOR, Level.SENIOR)

IDENTITY_FIELDS: tuple[Field, ...] = (
    Field("code", "学校标识码", "text", required=False),
    Field("name", "学校名称", "text"),
    Field("type", "学校类型", "text"),
    Field("township", "所在乡镇", "text", required=False),
    Field("area_type", "城乡类型", "text", required=False),
)

QUANTITY_FIELDS: tuple[Field, ...] = (
    Field("students", "在校生数", "count", "人", per_level=STUDENT_LEVELS),
    Field("teachers", "专任教师数", "count", "人", per_level=TEACHER_LEVELS),
    Field("qualified_teachers", "高于规定学历教师数", "count", "人", per_level=TEACHER_LEVELS),
    Field("senior_title_teachers", "中级及以上职称教师数", "count", "人", per_level=TEACHER_LEVELS),
    Field("backbone_teachers", "县级以上骨干教师数", "count", "人", per_level=TEACHER_LEVELS),
    Field("pe_arts_teachers", "体育艺术专任教师数", "count", "人", per_level=TEACHER_LEVELS),
    Field("teaching_area", "教学及辅助用房面积", "number", "㎡"),
    Field("gym_area", "体育馆面积", "number", "㎡"),
    Field("sports_ground_area", "运动场地面积", "number", "㎡"),
    Field("equipment_value", "教学仪器设备值", "number", "元"),
    Field("books", "图书册数", "count", "册"),
    Field("computers", "计算机台数", "count", "台"),
    Field("multimedia_rooms", "网络多媒体教室数", "count", "间"),
)

# Optional: what the 2017 government-guarantee items need (school size uses the students).
CLASS_FIELDS: tuple[Field, ...] = (
    Field("classes", "班级数", "count", "个", per_level=TEACHER_LEVELS),
    Field("large_classes", "大班额班级数", "count", "个", per_level=TEACHER_LEVELS),
    Field("huge_classes", "超大班额班级数", "count", "个", per_level=TEACHER_LEVELS),
    Field("music_rooms", "音乐专用教室数", "count", "间"),
    Field("art_rooms", "美术专用教室数", "count", "间"),
)

# Optional: who runs the school. A standard's ``scope.exclude`` may leave some out; without
# them every school is 公办 and run by the county. After the other columns in the template.
SCOPE_FIELDS: tuple[Field, ...] = (
    Field("ownership", "办学性质", "text", required=False),
    Field("sponsor", "举办者", "text", required=False),
)

# Optional: the figures the 2019 规程's allowances rest on. An allowance applies only to a
# school whose row carries its figure. Years, 随迁子女 and per-room areas are not split.
ALLOWANCE_FIELDS: tuple[Field, ...] = (
    Field(
        "shared_pe_arts_teachers", "交流兼职体育艺术教师数", "count", "人", per_level=TEACHER_LEVELS
    ),
    Field("leased_sports_area", "租借或屋顶运动场地面积", "number", "㎡"),
    Field("build_year", "建校年份", "count", splits=False),
    Field("migrant_students", "随迁子女数", "count", "人", splits=False),
    Field("music_room_area", "音乐专用教室单间面积", "number", "㎡", splits=False),
    Field("art_room_area", "美术专用教室单间面积", "number", "㎡", splits=False),
)

FIELDS: dict[str, Field] = {
    f.id: f
    for f in IDENTITY_FIELDS + QUANTITY_FIELDS + CLASS_FIELDS + SCOPE_FIELDS + ALLOWANCE_FIELDS
}

# The teacher fields that are parts of 专任教师数 of the same level.
TEACHER_PARTS: tuple[str, ...] = (
    "qualified_teachers",
    "senior_title_teachers",
    "backbone_teachers",
    "pe_arts_teachers",
)


@dataclass(frozen=True)
class Column:
    """A concrete column of the canonical table: a field, maybe for one level."""

    field: Field
    level: Level | None = None

    @property
    def name(self) -> str:
        return self.field.column(self.level)

    @property
    def header(self) -> str:
        return self.field.header_for(self.level)

    @property
    def header_with_unit(self) -> str:
        unit = self.field.unit
        return f"{self.header}（{unit}）" if unit and unit not in ("人",) else self.header


def template_columns() -> list[Column]:
    """Every column of the input template, in template order."""
    columns = [Column(f) for f in IDENTITY_FIELDS]
    students = FIELDS["students"]
    columns += [Column(students, level) for level in students.per_level]
    for level in TEACHER_LEVELS:
        columns += [Column(f, level) for f in QUANTITY_FIELDS if f.per_level == TEACHER_LEVELS]
    columns += [Column(f) for f in QUANTITY_FIELDS if not f.per_level]
    for level in TEACHER_LEVELS:
        columns += [Column(f, level) for f in CLASS_FIELDS if f.per_level]
    columns += [Column(f) for f in CLASS_FIELDS if not f.per_level]
    columns += [Column(f) for f in SCOPE_FIELDS]
    for level in TEACHER_LEVELS:
        columns += [Column(f, level) for f in ALLOWANCE_FIELDS if f.per_level]
    columns += [Column(f) for f in ALLOWANCE_FIELDS if not f.per_level]
    return columns


def number_text(value: float) -> str:
    """2,080,810 / 2.50: whole numbers with thousands separators, others to 2 places (never
    scientific notation)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def quantity_text(amount: float, unit: str) -> str:
    """3 名 / 1,200 ㎡ / 753.42 万元: money in 万元 from 10,000 元 on. The one way an amount of
    a field's unit is written, in reports and in messages."""
    if unit == "元" and abs(amount) >= 10_000:
        return f"{amount / 10_000:,.2f} 万元"
    return f"{number_text(amount)} {unit}"


def short_repr(value: object) -> str:
    """A value as typed, for a message, cut short: 400 digits are not repeated in full."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:40]}…"
