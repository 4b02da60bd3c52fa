"""The 政府保障程度 rules: school size, class size, music and art rooms, county-level items."""

# pydantic copies a mutable default per instance; ruff sees BaseModel only through Strict.
# ruff: noqa: RUF012
from __future__ import annotations

from pydantic import Field, model_validator

from junheng_cli.model.fields import FIELDS, Level
from junheng_cli.standards.base import Strict


class SizeAllowance(Strict):
    """2019 规程: an older school, or one of many 随迁子女, is judged at a higher size limit.
    Applied only where the school's row carries 建校年份 (or 随迁子女数)."""

    enabled: bool = True
    built_by: int | None = None  # built in this year or earlier
    migrant_share_above: float | None = Field(default=None, ge=0, le=1)  # 随迁子女 / 在校生
    max_students: int = Field(gt=0)
    by_type: dict[str, int] = {}
    text: str


class SchoolSizeRule(Strict):
    max_students: int = Field(gt=0)
    by_type: dict[str, int] = {}
    allowance: SizeAllowance | None = None


class ClassSizeRule(Strict):
    limits: dict[Level, int]
    large_from: int = Field(default=56, gt=0)
    huge_from: int = Field(default=66, gt=0)


class RoomAreaAllowance(Strict):
    """2019 规程: rooms of a school built in ``built_by`` or earlier are judged at these
    areas. Applied only where the school's row carries 建校年份."""

    enabled: bool = True
    built_by: int
    min_area: dict[str, float]
    text: str


class SpecialRoomsRule(Strict):
    classes_per_room: int = Field(gt=0)
    fields: list[str] = Field(min_length=1)
    # the least area of one room, by area field (音乐专用教室单间面积: 96 ㎡)
    min_area: dict[str, float] = {}
    allowance: RoomAreaAllowance | None = None

    @model_validator(mode="after")
    def _area_fields(self) -> SpecialRoomsRule:
        named = [*self.min_area, *(self.allowance.min_area if self.allowance else {})]
        unknown = [f for f in named if f not in FIELDS or FIELDS[f].unit != "㎡"]
        if unknown:
            raise ValueError(f"min_area 中的字段须为面积字段：{unknown}")
        if self.allowance and set(self.allowance.min_area) - set(self.min_area):
            raise ValueError("allowance.min_area 的字段须先在 min_area 中给出")
        return self


class Government(Strict):
    """Items of 政府保障程度 that can be computed from school data."""

    school_size: SchoolSizeRule | None = None
    class_size: ClassSizeRule | None = None
    special_rooms: SpecialRoomsRule | None = None


class CountyItem(Strict):
    """A county-level figure the analyst enters, checked against ``min`` and/or ``max``."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    unit: str = ""
    min: float | None = None
    max: float | None = None
