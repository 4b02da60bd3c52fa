"""Evaluation standards, kept as YAML data in ``standards/`` and validated by pydantic.

A standard says which indicators are computed from which canonical fields, how the
difference coefficient is computed and judged, and which school types are evaluated in
which levels (with the weights that split mixed schools). No formula is ever evaluated
from a file: indicators are ratios of named fields, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from junheng_cli.model.fields import FIELDS, Level
from junheng_cli.model.pydantic_zh import pydantic_errors_zh
from junheng_cli.standards.files import (
    StandardError,
    StandardFile,
    choice_note,
    definitions,
    discover,
    read_yaml_mapping,
    resolve,
)

__all__ = [
    "ListedStandard",
    "Standard",
    "StandardError",
    "list_standards",
    "load_resolved",
    "load_standard",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GapSpec(_Strict):
    """How to state what a school lacks: ``还差 3 名县级以上骨干教师``."""

    unit: str  # 名 / 间 / ㎡ / 元
    step: float = Field(default=0.01, gt=0)  # round the gap up to a multiple of this
    what: str  # 县级以上骨干教师


class StudentRange(_Strict):
    min: int = Field(default=0, ge=0)  # from this many students
    max: int | None = Field(default=None, ge=0)  # up to and including this many


class IndicatorAllowance(_Strict):
    """An allowance of the 2019 规程 for one indicator's per-school check: a school that
    qualifies counts the figure ``add`` (a column of its own) with the indicator's numerator.
    Applied only where the school's row carries that figure; the CVs keep the strict figures."""

    enabled: bool = True
    add: str
    students: StudentRange | None = None  # the school's 义务教育 students (all its levels)
    area_types: list[str] = []  # 城乡类型 that qualify (empty: any)
    text: str  # 按规程：…

    @model_validator(mode="after")
    def _known_field(self) -> IndicatorAllowance:
        if self.add not in FIELDS or FIELDS[self.add].kind == "text":
            raise ValueError(f"allowance.add：未知的数量字段 {self.add!r}")
        return self


class Indicator(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    short_name: str | None = None  # for narrow tables: 骨干教师
    unit: str
    numerator: list[str] = Field(min_length=1)
    denominator: Literal["students"] = "students"
    scale: float = Field(default=1.0, gt=0)
    decimals: int = Field(default=2, ge=0, le=8)
    thresholds: dict[Level, float] = {}  # per-school minimum by level (2017)
    gap: GapSpec | None = None
    allowance: IndicatorAllowance | None = None  # 2019 规程 (only for the per-school check)

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @model_validator(mode="after")
    def _known_fields(self) -> Indicator:
        unknown = [f for f in self.numerator if f not in FIELDS or FIELDS[f].kind == "text"]
        if unknown:
            known = ", ".join(f.id for f in FIELDS.values() if f.kind != "text")
            raise ValueError(f"未知的数量字段 {unknown}；可用字段：{known}")
        if len({bool(FIELDS[f].per_level) for f in self.numerator}) > 1:
            raise ValueError("分子不能混用分学段字段（教师数）与全校字段（面积、设备等）")
        extra = self.allowance
        if extra is not None:
            if bool(FIELDS[extra.add].per_level) != bool(FIELDS[self.numerator[0]].per_level):
                raise ValueError("allowance.add 须与分子同为分学段字段或同为全校字段")
            if not FIELDS[extra.add].splits:
                raise ValueError(f"allowance.add 不能用不拆分的字段 {extra.add!r}")
        return self


class CVMethod(_Strict):
    weighting: Literal["enrollment", "unweighted"] = "enrollment"
    sd: Literal["population", "sample"] = "population"


class Judgement(_Strict):
    mode: Literal["composite", "each"]
    composite: Literal["mean"] = "mean"
    limits: dict[Level, float]


class SchoolRule(_Strict):
    """A school passes when ``min_met`` indicators reach the threshold and every other one
    is at least ``floor`` × threshold."""

    min_met: int = Field(ge=1)
    floor: float = Field(gt=0, le=1)


class SmallSchoolRule(_Strict):
    """Leave schools of this type with fewer than ``below`` students out (when enabled)."""

    enabled: bool = False
    below: int = Field(gt=0)
    reason: str


class SizeAllowance(_Strict):
    """2019 规程: an older school, or one of many 随迁子女, is judged at a higher size limit.
    Applied only where the school's row carries 建校年份 (or 随迁子女数)."""

    enabled: bool = True
    built_by: int | None = None  # built in this year or earlier
    migrant_share_above: float | None = Field(default=None, ge=0, le=1)  # 随迁子女 / 在校生
    max_students: int = Field(gt=0)
    by_type: dict[str, int] = {}
    text: str


class SchoolSizeRule(_Strict):
    max_students: int = Field(gt=0)
    by_type: dict[str, int] = {}
    allowance: SizeAllowance | None = None


class ClassSizeRule(_Strict):
    limits: dict[Level, int]
    large_from: int = Field(default=56, gt=0)
    huge_from: int = Field(default=66, gt=0)


class RoomAreaAllowance(_Strict):
    """2019 规程: rooms of a school built in ``built_by`` or earlier are judged at these
    areas. Applied only where the school's row carries 建校年份."""

    enabled: bool = True
    built_by: int
    min_area: dict[str, float]
    text: str


class SpecialRoomsRule(_Strict):
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


class Government(_Strict):
    """Items of 政府保障程度 that can be computed from school data."""

    school_size: SchoolSizeRule | None = None
    class_size: ClassSizeRule | None = None
    special_rooms: SpecialRoomsRule | None = None


class CountyItem(_Strict):
    """A county-level figure the analyst enters, checked against ``min`` and/or ``max``."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    unit: str = ""
    min: float | None = None
    max: float | None = None


class ScopeRule(_Strict):
    """Leave out the schools whose ``field`` (办学性质 or 举办者) is one of ``values`` or
    contains one of ``contains``. A school without the column, or with it blank, is 公办 and
    run by the county: no rule leaves it out."""

    field: Literal["ownership", "sponsor"]
    values: list[str] = []
    contains: list[str] = []
    reason: str
    enabled: bool = True

    @model_validator(mode="after")
    def _some_value(self) -> ScopeRule:
        if not self.values and not self.contains:
            raise ValueError("scope.exclude 的每条规则须给出 values 或 contains")
        return self


class Scope(_Strict):
    exclude: list[ScopeRule] = []

    @property
    def rules(self) -> list[ScopeRule]:
        return [r for r in self.exclude if r.enabled]


class SchoolType(_Strict):
    aliases: list[str] = []
    levels: dict[Level, float] = {}
    excluded: str | None = None
    small_school: SmallSchoolRule | None = None

    @model_validator(mode="after")
    def _levels_or_excluded(self) -> SchoolType:
        if bool(self.levels) == bool(self.excluded):
            raise ValueError(
                "每种学校类型须给出 levels（参评学段及拆分权重）或 excluded（排除理由）之一"
            )
        if any(w <= 0 for w in self.levels.values()):
            raise ValueError("拆分权重须为正数")
        return self


class Standard(_Strict):
    id: str
    name: str
    aliases: list[str] = []  # short names accepted by --standard: 基本均衡
    version: str
    source: str
    levels: dict[Level, str] = Field(min_length=1)
    cv: CVMethod = CVMethod()
    judgement: Judgement
    indicators: list[Indicator] = Field(min_length=1)
    school_types: dict[str, SchoolType] = Field(min_length=1)
    school_rule: SchoolRule | None = None
    government: Government | None = None
    county_items: list[CountyItem] = []
    scope: Scope = Scope()  # which schools are left out by who runs them
    extends: str | None = None  # the id of the standard this file was built on
    example: bool = False  # an example to be confirmed by the user, not an official text

    @model_validator(mode="after")
    def _consistent(self) -> Standard:
        ids = [i.id for i in self.indicators]
        if len(set(ids)) != len(ids):
            raise ValueError(f"指标 id 重复：{ids}")
        missing = [lv.value for lv in self.levels if lv not in self.judgement.limits]
        if missing:
            raise ValueError(f"judgement.limits 缺少学段 {missing}")
        if Level.SENIOR in self.levels:
            raise ValueError("高中不是义务教育学段，不能作为参评学段")
        if self.school_rule is not None:
            lacking = [
                i.id for i in self.indicators if any(lv not in i.thresholds for lv in self.levels)
            ]
            if lacking:
                raise ValueError(f"有 school_rule 时每项指标都须给出各学段的 thresholds：{lacking}")
            if self.school_rule.min_met > len(self.indicators):
                raise ValueError("school_rule.min_met 不能大于指标项数")
        return self

    def select(self, refs: list[str]) -> Standard:
        """The same standard with only these indicators (by id, name or short name), for a
        partial run (``--indicators``). Raises ``StandardError`` naming an unknown one."""
        chosen: list[Indicator] = []
        for ref in refs:
            found = next((i for i in self.indicators if ref in (i.id, i.name, i.short_name)), None)
            if found is None:
                known = "、".join(f"{i.id}（{i.label}）" for i in self.indicators)
                raise StandardError(f"标准 {self.id} 中没有指标 {ref!r}；可用：{known}")
            if found not in chosen:
                chosen.append(found)
        if not chosen:
            raise StandardError("--indicators 至少要给出一项指标")
        return self.model_copy(update={"indicators": chosen})

    @property
    def judges_schools(self) -> bool:
        return self.school_rule is not None

    @property
    def evaluated_levels(self) -> list[Level]:
        return list(self.levels)

    def quantities(self) -> list[str]:
        """Every canonical quantity the indicators need, in first-use order."""
        seen: dict[str, None] = {}
        for indicator in self.indicators:
            for field in indicator.numerator:
                seen.setdefault(field, None)
        return list(seen)

    def type_lookup(self) -> dict[str, str]:
        """Map every accepted spelling of a school type to its canonical name."""
        lookup: dict[str, str] = {}
        for name, school_type in self.school_types.items():
            lookup[name] = name
            for alias in school_type.aliases:
                lookup[alias] = name
        return lookup


# Keys of a base standard that a file built on it with ``extends`` does not inherit.
NOT_INHERITED = ("example", "aliases")


def _resolved_data(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's data, with ``extends: <id>`` resolved by merging onto the base standard.

    The base is the first definition of that id on the search path other than this file, so
    a province's ``quality-2017.yaml`` may extend the built-in ``quality-2017``."""
    seen = (*seen, path.resolve())
    data = read_yaml_mapping(path)
    base_id = data.get("extends")
    if base_id is None:
        return data
    candidates = [f for f in definitions(discover(), str(base_id)) if f.path.resolve() not in seen]
    if not candidates:
        if any(f.path.resolve() in seen for f in definitions(discover(), str(base_id))):
            raise StandardError(f"标准文件 {path} 的 extends 形成循环")
        raise StandardError(f"标准文件 {path}：extends 指向未知的标准 {base_id!r}")
    base = _resolved_data(candidates[0].path, seen)
    for key in NOT_INHERITED:
        base.pop(key, None)
    return merge_standard_data(base, data)


def merge_standard_data(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Overlay a province's file on its base: mappings merge key by key, ``indicators`` merge
    by id (a new id is an extra indicator), other values are replaced."""
    merged = dict(base)
    for key, value in override.items():
        if key == "indicators" and isinstance(value, list):
            merged[key] = _merge_indicators(base.get(key, []), value)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = merge_standard_data(base[key], value)
        else:
            merged[key] = value
    return merged


def _merge_indicators(base: list[Any], override: list[Any]) -> list[Any]:
    merged = [dict(i) if isinstance(i, dict) else i for i in base]
    positions = {i.get("id"): n for n, i in enumerate(merged) if isinstance(i, dict)}
    for item in override:
        if isinstance(item, dict) and item.get("id") in positions:
            n = positions[item["id"]]
            merged[n] = merge_standard_data(merged[n], item)
        else:
            merged.append(item)
    return merged


def load_standard_file(path: Path) -> Standard:
    data = _resolved_data(path)
    try:
        return Standard.model_validate(data)
    except ValidationError as exc:
        raise StandardError(_describe_validation_error(path, exc)) from exc


def _describe_validation_error(path: Path, exc: ValidationError) -> str:
    return pydantic_errors_zh(f"标准文件 {path}", exc, "字段")


def load_standard(ref: str) -> Standard:
    """Load a standard by id, by an alias declared in a standard file (基本均衡, 优质均衡) or
    by file path; see ``standard_files`` for the search order."""
    return load_resolved(ref)[0]


def load_resolved(ref: str) -> tuple[Standard, str | None]:
    """The standard ``ref`` names, and a note when the choice needs saying (an id defined
    more than once, a user file overriding a built-in one)."""
    resolution = resolve(ref)
    return load_standard_file(resolution.file.path), resolution.note


@dataclass(frozen=True)
class ListedStandard:
    """A standard file found on the search path: loaded (or why not), and whether it is the
    definition used for its id."""

    file: StandardFile
    loaded: Standard | StandardError
    used: bool
    note: str | None


def list_standards() -> list[ListedStandard]:
    """Every standard file on the search path, in search order."""
    found = discover()
    listed: list[ListedStandard] = []
    for file in found:
        defined = definitions(found, file.id)
        try:
            loaded: Standard | StandardError = load_standard_file(file.path)
        except StandardError as exc:
            loaded = exc
        listed.append(ListedStandard(file, loaded, defined[0] == file, choice_note(defined)))
    return listed
