"""Evaluation standards, kept as YAML data in ``standards/`` and validated by pydantic.

A standard says which indicators are computed from which canonical fields, how the
difference coefficient is computed and judged, and which school types are evaluated in
which levels (with the weights that split mixed schools). No formula is ever evaluated
from a file: indicators are ratios of named fields, nothing else.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from junheng_cli.schema import FIELDS, Level

ENV_STANDARDS_DIR = "JUNHENG_STANDARDS"
STANDARD_SUFFIXES = (".yaml", ".yml")


class StandardError(Exception):
    """A standard cannot be found or its file is malformed."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GapSpec(_Strict):
    """How to state what a school lacks: ``还差 3 名县级以上骨干教师``."""

    unit: str  # 名 / 间 / ㎡ / 元
    step: float = Field(default=0.01, gt=0)  # round the gap up to a multiple of this
    what: str  # 县级以上骨干教师


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


class SchoolSizeRule(_Strict):
    max_students: int = Field(gt=0)
    by_type: dict[str, int] = {}


class ClassSizeRule(_Strict):
    limits: dict[Level, int]
    large_from: int = Field(default=56, gt=0)
    huge_from: int = Field(default=66, gt=0)


class SpecialRoomsRule(_Strict):
    classes_per_room: int = Field(gt=0)
    fields: list[str] = Field(min_length=1)


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


def builtin_standards_dir() -> Path:
    """The repository's ``standards/`` folder (the package is installed from the checkout)."""
    return Path(__file__).resolve().parents[2] / "standards"


def standards_dirs() -> list[Path]:
    extra = os.environ.get(ENV_STANDARDS_DIR, "")
    dirs = [Path(p) for p in extra.split(os.pathsep) if p]
    dirs.append(builtin_standards_dir())
    return [d for d in dirs if d.is_dir()]


def standard_files() -> list[Path]:
    files: list[Path] = []
    for directory in standards_dirs():
        files += sorted(p for p in directory.iterdir() if p.suffix in STANDARD_SUFFIXES)
    return files


def _read_yaml(path: Path) -> dict[str, Any]:
    from junheng_cli.io.yaml_safe import YamlRefused, load_yaml

    try:
        data = load_yaml(path, "标准文件")
    except OSError as exc:
        raise StandardError(f"无法读取标准文件 {path}：{exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise StandardError(f"标准文件 {path} 的文字编码无法识别（请存为 UTF-8）") from exc
    except yaml.YAMLError as exc:
        raise StandardError(f"标准文件 {path} 不是有效的 YAML：{exc}") from exc
    except YamlRefused as exc:
        raise StandardError(str(exc)) from exc
    if not isinstance(data, dict):
        raise StandardError(f"标准文件 {path} 的顶层应为键值映射（id、name、indicators …）")
    return data


def _resolved_data(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's data, with ``extends: <id>`` resolved by merging onto the base standard."""
    if path.resolve() in seen:
        raise StandardError(f"标准文件 {path} 的 extends 形成循环")
    data = _read_yaml(path)
    base_id = data.get("extends")
    if base_id is None:
        return data
    base_path = _find_file(str(base_id))
    if base_path is None:
        raise StandardError(f"标准文件 {path}：extends 指向未知的标准 {base_id!r}")
    base = _resolved_data(base_path, (*seen, path.resolve()))
    base.pop("example", None)
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
    lines = [f"标准文件 {path} 有 {exc.error_count()} 处错误："]
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"]) or "（顶层）"
        lines.append(f"  字段 {location}：{_error_zh(error)}")
    return "\n".join(lines)


# pydantic's messages, in Chinese for the analysts who edit standard files
_ERRORS_ZH = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的键（拼写是否有误？）",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表（每项一行，以 - 开头）",
    "dict_type": "应为键值对（键: 值）",
    "too_short": "至少应有 {min_length} 项",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
}


def _error_zh(error: Any) -> str:
    kind = error.get("type", "")
    if kind == "value_error":  # our own validators already speak Chinese
        return str(error.get("ctx", {}).get("error", error["msg"]))
    template = _ERRORS_ZH.get(kind)
    if template is None:
        return str(error["msg"])
    try:
        return template.format(**{k: v for k, v in error.get("ctx", {}).items()})
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip("：")


def load_standard(ref: str) -> Standard:
    """Load a standard by id (searched in the standards folders) or by file path."""
    candidate = Path(ref)
    if candidate.suffix in STANDARD_SUFFIXES:
        if not candidate.is_file():
            raise StandardError(f"找不到标准文件 {candidate}")
        return load_standard_file(candidate)
    path = _find_file(ref)
    if path is None:
        known = ", ".join(p.stem for p in standard_files()) or "（无）"
        raise StandardError(f"未知的评估标准 {ref!r}；可用：{known}")
    standard = load_standard_file(path)
    if standard.id != ref:
        raise StandardError(f"标准文件 {path} 的 id 为 {standard.id!r}，应与文件名 {ref!r} 一致")
    return standard


def _find_file(ref: str) -> Path | None:
    return next((p for p in standard_files() if p.stem == ref), None)


def list_standards() -> list[tuple[Path, Standard | StandardError]]:
    """Every standard file found, loaded, or the error that stops it loading."""
    found: list[tuple[Path, Standard | StandardError]] = []
    for path in standard_files():
        try:
            found.append((path, load_standard_file(path)))
        except StandardError as exc:
            found.append((path, exc))
    return found
