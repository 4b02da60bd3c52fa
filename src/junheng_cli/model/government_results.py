"""The 政府保障程度 results: school size, class size, rooms, and the county-level items."""

from __future__ import annotations

from dataclasses import dataclass

from junheng_cli.model.fields import Level
from junheng_cli.model.sources import Origin


@dataclass(frozen=True)
class SchoolSizeCheck:
    code: str
    name: str
    type: str
    students: int  # 义务教育阶段在校生（小学 + 初中）
    limit: int
    passed: bool
    origin: Origin
    strict_limit: int | None = None  # set when a 规程 allowance raised the limit
    allowance: str | None = None


@dataclass(frozen=True)
class ClassSizeCount:
    """Classes of one level (of the county, or of one school) by size band."""

    level: Level
    classes: int
    large: int  # 56–65
    huge: int  # 66 and more
    over_limit: int | None  # above 45 (小学) / 50 (初中); None when only band counts are known
    limit: int
    code: str = ""
    name: str = ""

    @property
    def large_share(self) -> float | None:
        return self.large / self.classes if self.classes else None

    @property
    def huge_share(self) -> float | None:
        return self.huge / self.classes if self.classes else None


@dataclass(frozen=True)
class RoomCheck:
    code: str
    name: str
    classes: int
    required: int  # rooms of each kind: one per ``classes_per_room`` classes, rounded up
    rooms: dict[str, int | None]  # field → rooms, None when not given
    passed: bool | None


@dataclass(frozen=True)
class RoomAreaCheck:
    """One school's 音乐 or 美术 room (the smallest one) against the least area per room."""

    code: str
    name: str
    field: str  # music_room_area / art_room_area
    header: str  # 音乐专用教室单间面积
    area: float
    min_area: float  # the limit used (the allowed one where an allowance applies)
    strict_min_area: float
    passed: bool
    strict_passed: bool
    allowance: str | None = None  # the 规程 rule, where it applies


@dataclass(frozen=True)
class GovernmentResult:
    """政府保障程度 items computable from school data; None means 未提供."""

    school_size: list[SchoolSizeCheck] | None
    class_source: str | None  # 班级表 / 学校表（班额分档） / None
    class_levels: list[ClassSizeCount] | None
    class_schools: list[ClassSizeCount]
    rooms: list[RoomCheck] | None
    room_names: dict[str, str]
    room_areas: list[RoomAreaCheck] | None = None  # None: 未提供 (no area column)


@dataclass(frozen=True)
class CountyItemResult:
    id: str
    name: str
    unit: str
    min: float | None
    max: float | None
    value: float | None  # None: 未提供
    passed: bool | None
    source: str | None
